import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import tailwindcss from '@tailwindcss/vite';
import { reportInitialSize } from './scripts/report-size.mjs';
import { precompress } from './scripts/precompress.mjs';

const lib = (p) => fileURLToPath(new URL(`../libs/${p}`, import.meta.url));

export default defineConfig({
  plugins: [react(), tailwindcss(), reportInitialSize(), precompress()],
  resolve: {
    alias: {
      '@vpn/wireguard': lib('wireguard/src/index.ts'),
      '@vpn/contracts': lib('contracts/src/index.ts'),
      '@': fileURLToPath(new URL('./src', import.meta.url)),
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    reportCompressedSize: true,
    target: 'es2022',
    sourcemap: false,
  },
  server: {
    proxy: { '/api': 'http://localhost:3000' },
  },
});
