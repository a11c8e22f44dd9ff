/** A model from the paper with the layer shapes and structure knobs its configs benchmark. */
export interface Preset {
  /** 'llama-7b', 'llama-1b', 'gpt2-s', 'dit-xl-2', 'vit-b-16', 'vit-b-8' */
  id: string;
  name: string;
  layers: PresetLayer[];
  /** where the numbers come from */
  provenance: string;
}

/**
 * The paper's knobs of one layer, per structure (read by each structure module's
 * `presetKnobs`); null where the paper has no such config.
 */
export interface LayerConfigs {
  /** null where the paper has no Monarch config (DiT-XL/2) */
  monarch: { blocks: number; rank: number } | null;
  blast: { blocks: number; rank: number };
  lowrank: { rank: number };
}

/** One layer config of the paper (a configs/layers/*.yaml of pabillam/mem-efficient-blr). */
export interface PresetLayer extends LayerConfigs {
  /** the repo's layer name, e.g. 'qkvo_proj' */
  id: string;
  label: string;
  /** input features (in_f) */
  n: number;
  /** output features (out_f) */
  m: number;
  /** tokens = num_seq · num_batches */
  tokens: number;
  /** repo path of the yaml, e.g. 'pabillam/mem-efficient-blr:configs/layers/llama7b.qkvo_proj.yaml' */
  source: string;
}
