/**
 * A linear, allocation-free look at JSON text before `JSON.parse` builds it: how deep it nests, and
 * the top-level `type` and `mid` of a frame. A frame nested 30,000 levels deep parses fine but makes
 * every later `JSON.stringify` throw; refusing it here costs one pass over the bytes and lets the
 * server answer with the message's own `mid` (a nack) instead of dropping the connection.
 */
export interface FrameScan {
  /** Nesting went deeper than the limit (the scan stopped there). */
  tooDeep: boolean;
  /** Deepest nesting seen (arrays and objects), up to limit + 1. */
  depth: number;
  /** Top-level `"type"` string, when the text is an object that has one before the scan stopped. */
  type?: string;
  /** Top-level `"mid"` string, likewise. */
  mid?: string;
}

const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_BRACE = 123;
const OPEN_BRACKET = 91;
const CLOSE_BRACE = 125;
const CLOSE_BRACKET = 93;
const COLON = 58;
const COMMA = 44;

/** Index just past the string literal that starts at `start` (a quote), or text.length if unterminated. */
function endOfString(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === BACKSLASH) i++;
    else if (c === QUOTE) return i + 1;
  }
  return text.length;
}

function decodeString(literal: string): string | undefined {
  try {
    const value: unknown = JSON.parse(literal);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Scan `text` with a nesting limit of `maxDepth` containers (the frame object itself counts as 1). */
export function scanFrame(text: string, maxDepth: number): FrameScan {
  const scan: FrameScan = { tooDeep: false, depth: 0 };
  let depth = 0;
  // Top-level object bookkeeping: are we reading a key, which key was read, which value is next.
  let topIsObject = false;
  let expectKey = false;
  let key: string | undefined;
  let valueFor: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const end = endOfString(text, i);
      if (topIsObject && depth === 1) {
        if (expectKey) {
          // Keys are short in any frame we care about; a long one cannot be `type` or `mid`.
          key = end - i <= 16 ? decodeString(text.slice(i, end)) : undefined;
          expectKey = false;
        } else if (valueFor === 'type' || valueFor === 'mid') {
          const value = end - i <= 1024 ? decodeString(text.slice(i, end)) : undefined;
          if (value !== undefined && scan[valueFor] === undefined) scan[valueFor] = value;
          valueFor = undefined;
        }
      }
      i = end - 1;
      continue;
    }
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      depth++;
      if (depth === 1) {
        topIsObject = c === OPEN_BRACE;
        expectKey = topIsObject;
      }
      if (depth > scan.depth) scan.depth = depth;
      if (depth > maxDepth) {
        scan.tooDeep = true;
        return scan;
      }
      valueFor = undefined;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
    } else if (depth === 1 && topIsObject) {
      if (c === COLON) {
        valueFor = key;
        key = undefined;
      } else if (c === COMMA) {
        expectKey = true;
        valueFor = undefined;
      } else if (c > 32) {
        valueFor = undefined; // a number, literal or anything else: not a string value
      }
    }
  }
  return scan;
}

/** Depth of the JSON text `json` (0 for a scalar), counting at most to `limit + 1`. */
export function jsonDepth(json: string, limit: number): number {
  return scanFrame(json, limit).depth;
}
