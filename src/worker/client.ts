/** The page's handle on the GPU worker; callbacks cross the boundary as Comlink proxies. */
import * as Comlink from 'comlink';
import type { GpuWorkerApi } from './protocol';

export function connectGpuWorker(): GpuWorkerApi {
  const worker = new Worker(new URL('./gpu.worker.ts', import.meta.url), { type: 'module', name: 'blr-gpu' });
  const remote = Comlink.wrap<GpuWorkerApi>(worker);
  return {
    info: () => remote.info(),
    roofline: (opts) => remote.roofline(opts),
    verify: (req) => remote.verify(req),
    run: (req) => remote.run(req),
    sweep: (req, onProgress) => remote.sweep(req, Comlink.proxy(onProgress)),
    cancel: () => remote.cancel(),
    onDeviceLost: (listener) => remote.onDeviceLost(Comlink.proxy(listener)),
  };
}
