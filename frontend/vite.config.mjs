import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// Library build: ES modules in dist/, the platform's libraries left to the MFE that installs the
// package (peer dependencies), JSX compiled to react/jsx-runtime.
const external = [
  /^react($|\/)/, /^react-dom($|\/)/, /^prop-types($|\/)/,
  /^@edx\/frontend-platform($|\/)/, /^@openedx\/frontend-plugin-framework($|\/)/, /^@openedx\/paragon($|\/)/,
];

export default defineConfig({
  esbuild: { jsx: 'automatic' },
  build: {
    target: 'es2020',
    sourcemap: true,
    lib: {
      entry: { index: 'src/index.js', settings: 'src/settings.js' },
      formats: ['es'],
      // ES module syntax in plain .js files of a package without "type": "module": webpack (the
      // MFEs' bundler) then resolves their imports as the MFEs' own code, directory imports of
      // @edx/frontend-platform included; ".mjs" or "type": "module" would make them strict ESM.
      fileName: (format, entryName) => `${entryName}.js`,
    },
    rollupOptions: { external, output: { chunkFileNames: 'common-[hash].js' } },
  },
  test: {
    environment: 'jsdom',
    setupFiles: ['./test/setup.js'],
    include: ['test/**/*.test.{js,jsx}'],
    css: false,
    // Paragon's ES build imports '@openedx/paragon/icons', a directory import Node's ESM loader
    // refuses: let vite resolve Paragon (as webpack does in the MFEs).
    server: { deps: { inline: [/@openedx\/paragon/, /@edx\/frontend-platform/] } },
    // @edx/frontend-platform imports 'env.config', which @openedx/frontend-build resolves in MFEs.
    // The plugin framework's dist is CommonJS that require()s the ES-module platform, which Node
    // refuses: tests use its ES sources (shipped in the package), as an MFE's webpack would bundle.
    alias: {
      'env.config': fileURLToPath(new URL('./test/env.config.js', import.meta.url)),
      '@openedx/frontend-plugin-framework': fileURLToPath(
        new URL('./node_modules/@openedx/frontend-plugin-framework/src/index.js', import.meta.url),
      ),
    },
    testTimeout: 20000,
  },
});
