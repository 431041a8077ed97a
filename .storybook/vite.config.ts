import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { alias } from '../vite.config.js';

export default defineConfig({ plugins: [react()], resolve: { alias } });
