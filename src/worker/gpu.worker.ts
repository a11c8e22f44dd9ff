/** The GPU worker: the only place the page touches WebGPU. */
import * as Comlink from 'comlink';
import { deviceRequirements } from '../lib/gpu/device';
import { createEngine } from '../lib/gpu/engine';
import { measureRoofline } from '../lib/gpu/roofline';
import { GpuService } from './service';

Comlink.expose(
  new GpuService({
    gpu: self.navigator.gpu,
    secureContext: self.isSecureContext,
    deviceRequirements,
    createEngine,
    measureRoofline,
  }),
);
