// Set by tools/build-extension.mjs: true only in the test build (dist/test/), which carries
// code that exists for the end-to-end tests.
declare const TEST_BUILD: boolean;
// Set by tools/build-extension.mjs: whether the background sends a card as JSON text (Firefox)
// or as objects (Chromium); extension/background.js says why.
declare const CARDS_AS_TEXT: boolean;

declare module '*.css' {
  const text: string;
  export default text;
}
