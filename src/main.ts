import { mount } from 'svelte';
import App from './App.svelte';
import './ui/app.css';
import { Playground } from './ui/store.svelte';
import { connectGpuWorker } from './worker/client';

/** localStorage, or null where the browser blocks it (sandboxed frames, strict privacy modes). */
function availableStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

const store = new Playground(connectGpuWorker(), availableStorage());
mount(App, { target: document.getElementById('app')!, props: { store } });
void store.start();
