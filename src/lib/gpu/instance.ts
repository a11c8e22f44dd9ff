/**
 * Kernels (a layer's plan, or a micro-benchmark) made real on a device: buffers for its tensors, uniforms and bind groups. Input and
 * weight tensors can exist as several copies ("sets") so that timing rotates through them and
 * caches cannot keep one set warm; intermediates and the output are shared by all sets.
 */
import type { DType } from '../structures/types';
import { orderBindings, packParams } from './kernel-io';
import type { PipelineCache } from './pipelines';
import { isRotated, type Kernels } from './plan-types';
import { bufferSize, elementBytes, encodeValues, poisonData } from './tensors';

export class PlanInstance {
  readonly buffers: Map<string, GPUBuffer>[] = [];
  private readonly owned: GPUBuffer[] = [];
  private readonly bindGroups: GPUBindGroup[][] = [];
  private pipelines: GPUComputePipeline[] = [];

  private constructor(readonly device: GPUDevice, readonly plan: Kernels) {}

  /** `data` holds X and every weight, already laid out for this plan. */
  static async create(device: GPUDevice, cache: PipelineCache, plan: Kernels, data: Record<string, Float64Array>, sets = 1): Promise<PlanInstance> {
    const inst = new PlanInstance(device, plan);
    device.pushErrorScope('out-of-memory');
    device.pushErrorScope('validation');
    try {
      inst.pipelines = await Promise.all(plan.steps.map((s) => cache.get(s)));
      inst.allocate(data, sets);
    } finally {
      const validation = await device.popErrorScope();
      const oom = await device.popErrorScope();
      const error = validation ?? oom;
      if (error) {
        inst.destroy();
        throw new Error(`the GPU refused the plan: ${error.message}`);
      }
    }
    return inst;
  }

  private get dtype(): DType {
    return this.plan.dtype;
  }

  private allocate(data: Record<string, Float64Array>, sets: number): void {
    const shared = new Map<string, GPUBuffer>();
    // Every set holds the same values in its own buffers: encode each tensor once (f16
    // conversion of a large layer takes seconds).
    const encoded = new Map<string, ArrayBuffer>();
    for (const [name, decl] of Object.entries(this.plan.tensors)) {
      if (!isRotated(decl)) continue;
      const values = data[name];
      if (!values) throw new Error(`no data for tensor ${name}`);
      encoded.set(name, encodeValues(values, elementBytes(decl, this.dtype)));
    }
    for (let set = 0; set < sets; set++) {
      const map = new Map<string, GPUBuffer>();
      for (const [name, decl] of Object.entries(this.plan.tensors)) {
        const rotated = isRotated(decl);
        if (!rotated && shared.has(name)) {
          map.set(name, shared.get(name)!);
          continue;
        }
        const buffer = this.device.createBuffer({
          label: `${name}#${set}`,
          size: bufferSize(decl, this.dtype),
          usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
        });
        this.owned.push(buffer);
        if (rotated) {
          this.device.queue.writeBuffer(buffer, 0, encoded.get(name)!);
        } else {
          shared.set(name, buffer);
        }
        map.set(name, buffer);
      }
      this.buffers.push(map);
    }
    const uniforms = this.plan.steps.map((step) => {
      const params = packParams(step.kernel, step.params);
      const u = this.device.createBuffer({ size: Math.ceil((params.length * 4) / 16) * 16, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
      this.device.queue.writeBuffer(u, 0, params);
      this.owned.push(u);
      return u;
    });
    const bound = this.plan.steps.map((step) => orderBindings(step.kernel, step.bindings));
    for (const map of this.buffers) {
      this.bindGroups.push(
        this.plan.steps.map((_, i) =>
          this.device.createBindGroup({
            layout: this.pipelines[i].getBindGroupLayout(0),
            entries: [
              ...bound[i].map((name, b) => ({ binding: b, resource: { buffer: map.get(name)! } })),
              { binding: bound[i].length, resource: { buffer: uniforms[i] } },
            ],
          }),
        ),
      );
    }
  }

  /** Fills the output and every intermediate with NaN. */
  poison(): void {
    for (const [name, decl] of Object.entries(this.plan.tensors)) {
      if (isRotated(decl)) continue;
      const buffer = this.buffers[0].get(name)!;
      this.device.queue.writeBuffer(buffer, 0, poisonData(buffer.size, elementBytes(decl, this.dtype)));
    }
  }

  /** Records every dispatch of the layer, reading input/weight set `set`. */
  encode(pass: GPUComputePassEncoder, set = 0): void {
    this.plan.steps.forEach((_, i) => this.encodeStep(pass, i, set));
  }

  /** Records dispatch `i` of the layer alone, reading input/weight set `set`. */
  encodeStep(pass: GPUComputePassEncoder, i: number, set = 0): void {
    pass.setPipeline(this.pipelines[i]);
    pass.setBindGroup(0, this.bindGroups[set][i]);
    pass.dispatchWorkgroups(...this.plan.steps[i].workgroups);
  }

  get sets(): number {
    return this.buffers.length;
  }

  destroy(): void {
    for (const b of this.owned) b.destroy();
    this.owned.length = 0;
  }
}
