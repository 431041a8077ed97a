/** Vite's `?raw` imports: a file's text, for showing a recipe's source under its story. */
declare module '*?raw' {
  const source: string;
  export default source;
}
