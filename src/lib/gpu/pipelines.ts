/** Compiled pipelines, one per (kernel, specialisation, entry point, overrides), kept for the device's life. */
import { specialise, specialisationKey } from './shaders';
import type { Step } from './plan-types';

export class PipelineCache {
  private readonly pipelines = new Map<string, Promise<GPUComputePipeline>>();
  private readonly modules = new Map<string, GPUShaderModule>();

  constructor(private readonly device: GPUDevice) {}

  get(step: Step): Promise<GPUComputePipeline> {
    const moduleKey = specialisationKey(step.kernel, step.spec);
    const entryPoint = step.entryPoint ?? 'main';
    const key = `${moduleKey}|${entryPoint}|${JSON.stringify(step.overrides)}`;
    let pipeline = this.pipelines.get(key);
    if (!pipeline) {
      let module = this.modules.get(moduleKey);
      if (!module) {
        module = this.device.createShaderModule({ label: moduleKey, code: specialise(step.kernel, step.spec) });
        this.modules.set(moduleKey, module);
      }
      pipeline = this.device.createComputePipelineAsync({
        label: key,
        layout: 'auto',
        compute: { module, entryPoint, constants: step.overrides },
      });
      // A failed compile must not stay cached for later attempts.
      pipeline.catch(() => this.pipelines.delete(key));
      this.pipelines.set(key, pipeline);
    }
    return pipeline;
  }
}
