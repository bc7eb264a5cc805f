/// <reference types="vitest/config" />
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

// FastAPI serves dist/ at /static/ and renders the page shell itself from the
// manifest (backend/web.py), so index.html is only used by `npm run dev`.
export default defineConfig({
  base: '/static/',
  plugins: [react()],
  build: {
    manifest: true,
    rollupOptions: { input: 'src/main.tsx' },
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8000' },
  },
  test: {
    environment: 'node',
    include: ['src/**/*.test.{ts,tsx}'],
  },
})
