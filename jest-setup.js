// Jest setup provided by Grafana scaffolding
import './.config/jest-setup';
import { MessageChannel } from 'node:worker_threads';

// @grafana/ui 13 schedules work through MessageChannel, which jsdom lacks.
Object.assign(global, { MessageChannel });
