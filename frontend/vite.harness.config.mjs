import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The screenshot harness (harness/): a static page rendering one widget state per URL, with the
// tests' fixtures and Paragon's CSS, for tests/browser/test_widgets.py. Not part of the package.
export default defineConfig({
  root: fileURLToPath(new URL('./harness', import.meta.url)),
  base: './',
  esbuild: { jsx: 'automatic' },
  // @edx/frontend-platform reads its configuration from process.env (webpack's DefinePlugin in MFEs).
  define: { 'process.env': '{}' },
  resolve: {
    alias: { 'env.config': fileURLToPath(new URL('./test/env.config.js', import.meta.url)) },
  },
  build: {
    outDir: fileURLToPath(new URL('./dist-harness', import.meta.url)),
    emptyOutDir: true,
    target: 'es2020',
    chunkSizeWarningLimit: 4000,
  },
});
