import axe from 'axe-core';
import { expect } from 'vitest';

/** Runs axe-core on the rendered container and fails with the rule ids it finds. */
export async function expectNoAxeViolations(container: Element) {
  const result = await axe.run(container, { rules: { region: { enabled: false } } });
  expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.html).join(' | ')}`)).toEqual([]);
}
