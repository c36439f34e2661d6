// Set by tools/build-extension.mjs: true only in the test build (dist/test/), which carries
// code that exists for the end-to-end tests.
declare const TEST_BUILD: boolean;

declare module '*.css' {
  const text: string;
  export default text;
}
