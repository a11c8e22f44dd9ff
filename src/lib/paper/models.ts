/**
 * The paper's models as whole networks (arXiv:2512.20861, Table 3 in Appendix A.2): which
 * linear layers it replaces, how many of each, at how many tokens. The layer shapes and
 * structure knobs themselves live in the presets (src/lib/presets), one per layer.
 */
import { findLayer, findPreset, specFor, type PresetLayer } from '../presets';
import type { StructureKind, StructureSpec } from '../structures/types';

export interface ReplacedLayer {
  /** the preset's layer id */
  layer: string;
  /** the layer's name in Table 3 */
  paperName: string;
  /** how many of this layer each block has (Q/K/V/O: 4, gate/up: 2) */
  perBlock: number;
  /** tokens it processes, where not the model's (DiT's adaLN works on one token) */
  tokens?: number;
  /** true where the paper left it out of the layer-wise figure (Fig. 8) */
  endToEndOnly?: boolean;
}

export interface PaperModel {
  /** the preset id */
  preset: string;
  name: string;
  /** blocks of the network, from Table 3's layer indices (0–31: 32) */
  blocks: number;
  /** tokens per forward pass (batch 1): the presets' token count */
  tokens: number;
  /** what the paper times end to end (§5, "Evaluation Setup") */
  workload: string;
  layers: ReplacedLayer[];
}

export const PAPER_MODELS: readonly PaperModel[] = [
  {
    preset: 'llama-7b',
    name: 'Llama-7B',
    blocks: 32,
    tokens: 1024,
    workload: 'prefill of 1024 tokens',
    layers: [
      { layer: 'qkvo_proj', paperName: 'Q/K/V/Oproj', perBlock: 4 },
      { layer: 'gate_up_proj', paperName: 'gate/upproj', perBlock: 2 },
      { layer: 'down_proj', paperName: 'downproj', perBlock: 1 },
    ],
  },
  {
    preset: 'llama-1b',
    name: 'Llama-3.2-1B',
    // Table 3 gives indices 0–31; the released Llama-3.2-1B has 16 decoder layers. The sums
    // follow Table 3; a speedup, a ratio of two such sums, is the same either way.
    blocks: 32,
    tokens: 1024,
    workload: 'prefill of 1024 tokens',
    layers: [
      { layer: 'qo_proj', paperName: 'Q/Oproj', perBlock: 2 },
      { layer: 'gate_proj', paperName: 'gateproj', perBlock: 1 },
      { layer: 'up_proj', paperName: 'upproj', perBlock: 1 },
      { layer: 'down_proj', paperName: 'downproj', perBlock: 1 },
    ],
  },
  {
    preset: 'gpt2-s',
    name: 'GPT2-S',
    blocks: 12,
    tokens: 384,
    workload: 'prefill of 384 tokens',
    layers: [
      { layer: 'c_attn', paperName: 'c_attn', perBlock: 1 },
      { layer: 'mlp_c_fc', paperName: 'c_fc', perBlock: 1 },
      { layer: 'mlp_c_proj', paperName: 'c_proj', perBlock: 1 },
    ],
  },
  {
    preset: 'dit-xl-2',
    name: 'DiT-XL/2',
    blocks: 28,
    tokens: 16384,
    workload: 'one denoising step on 16384 tokens',
    layers: [
      { layer: 'qkv_proj', paperName: 'QKVproj', perBlock: 1 },
      { layer: 'fc1', paperName: 'fc1', perBlock: 1 },
      // A.2: adaLN "processes a single token rather than the 16K tokens used in other layers".
      { layer: 'adaln', paperName: 'adaLNproj', perBlock: 1, tokens: 1, endToEndOnly: true },
    ],
  },
  {
    preset: 'vit-b-16',
    name: 'ViT-B',
    blocks: 12,
    tokens: 197,
    workload: 'one 224 × 224 image (197 tokens)',
    layers: [
      { layer: 'attn_qkv', paperName: 'attn_qkv', perBlock: 1 },
      { layer: 'mlp_fc1', paperName: 'fc1', perBlock: 1 },
      { layer: 'mlp_fc2', paperName: 'fc2', perBlock: 1 },
    ],
  },
];

export function paperModel(preset: string): PaperModel | undefined {
  return PAPER_MODELS.find((m) => m.preset === preset);
}

/** One layer of a paper model, resolved against its preset. */
export interface ModelLayer {
  model: PaperModel;
  replaced: ReplacedLayer;
  preset: PresetLayer;
  /** tokens this layer runs at in the model */
  tokens: number;
  /** occurrences in the whole network: perBlock × blocks */
  count: number;
}

export function modelLayers(model: PaperModel): ModelLayer[] {
  return model.layers.map((replaced) => {
    const preset = findLayer(model.preset, replaced.layer);
    if (!preset) throw new Error(`${model.preset} has no preset layer ${replaced.layer}`);
    return { model, replaced, preset, tokens: replaced.tokens ?? model.tokens, count: replaced.perBlock * model.blocks };
  });
}

/** The layers of Fig. 8 (layer-wise): every replaced layer but those timed end to end only. */
export function layerWiseLayers(model: PaperModel): ModelLayer[] {
  return modelLayers(model).filter((l) => !l.replaced.endToEndOnly);
}

/** The paper's knobs for a structure at a model layer; null where the paper has none (Monarch on DiT). */
export function paperSpec(l: ModelLayer, kind: StructureKind): StructureSpec | null {
  return specFor(l.preset, kind);
}

export function presetName(preset: string): string {
  return paperModel(preset)?.name ?? findPreset(preset)?.name ?? preset;
}
