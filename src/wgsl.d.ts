// WGSL sources are imported as text: Vite through the plugin in vite.config.ts,
// the CLI bundle through esbuild's text loader (scripts/build-cli.mjs).
declare module '*.wgsl' {
  const source: string;
  export default source;
}
