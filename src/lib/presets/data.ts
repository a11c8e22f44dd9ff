import type { Preset, PresetLayer } from './types';

const REPO = 'pabillam/mem-efficient-blr';

type Knobs = { blocks: number; rank: number };

/** One configs/layers/<network>.<id>.yaml; the paper runs batch 1, so tokens = num_seq. */
function layer(network: string, id: string, label: string, n: number, m: number, tokens: number, monarch: Knobs | null, blast: Knobs, lowrankRank: number): PresetLayer {
  return { id, label, n, m, tokens, monarch, blast, lowrank: { rank: lowrankRank }, source: `${REPO}:configs/layers/${network}.${id}.yaml` };
}

function provenance(network: string, tokensNote: string): string {
  return `${REPO} (HEAD d3e02c1, code of arXiv:2512.20861) configs/layers/${network}.*.yaml; ${tokensNote}, batch 1`;
}

const vitLayers = (network: string, tokens: number): PresetLayer[] => [
  layer(network, 'attn_qkv', 'attention q, k, v (fused)', 768, 2304, tokens, { blocks: 4, rank: 128 }, { blocks: 3, rank: 128 }, 128),
  layer(network, 'mlp_fc1', 'MLP fc1', 768, 3072, tokens, { blocks: 4, rank: 128 }, { blocks: 3, rank: 128 }, 128),
  layer(network, 'mlp_fc2', 'MLP fc2', 3072, 768, tokens, { blocks: 4, rank: 128 }, { blocks: 3, rank: 128 }, 128),
];

export const PRESETS: readonly Preset[] = [
  {
    id: 'llama-7b',
    name: 'Llama-7B',
    provenance: provenance('llama7b', '1024 tokens (prefill length)'),
    layers: [
      layer('llama7b', 'qkvo_proj', 'attention q, k, v, o projections', 4096, 4096, 1024, { blocks: 16, rank: 1024 }, { blocks: 16, rank: 1024 }, 1024),
      layer('llama7b', 'gate_up_proj', 'MLP gate and up projections', 4096, 11008, 1024, { blocks: 16, rank: 1536 }, { blocks: 16, rank: 1488 }, 1488),
      layer('llama7b', 'down_proj', 'MLP down projection', 11008, 4096, 1024, { blocks: 16, rank: 1536 }, { blocks: 16, rank: 1488 }, 1488),
    ],
  },
  {
    id: 'llama-1b',
    name: 'Llama-1B (Llama-3.2-1B)',
    provenance: provenance('llama1b', '1024 tokens (prefill length)'),
    layers: [
      layer('llama1b', 'qo_proj', 'attention q and o projections', 2048, 2048, 1024, { blocks: 16, rank: 256 }, { blocks: 16, rank: 256 }, 256),
      layer('llama1b', 'gate_proj', 'MLP gate projection', 2048, 8192, 1024, { blocks: 16, rank: 512 }, { blocks: 16, rank: 512 }, 512),
      layer('llama1b', 'up_proj', 'MLP up projection', 2048, 8192, 1024, { blocks: 16, rank: 768 }, { blocks: 16, rank: 768 }, 768),
      layer('llama1b', 'down_proj', 'MLP down projection', 8192, 2048, 1024, { blocks: 16, rank: 768 }, { blocks: 16, rank: 768 }, 768),
    ],
  },
  {
    id: 'gpt2-s',
    name: 'GPT2-S',
    provenance: provenance('gpt2s', '384 tokens (prefill length)'),
    layers: [
      layer('gpt2s', 'c_attn', 'attention c_attn (q, k, v)', 768, 2304, 384, { blocks: 4, rank: 192 }, { blocks: 6, rank: 192 }, 192),
      layer('gpt2s', 'mlp_c_fc', 'MLP c_fc', 768, 3072, 384, { blocks: 4, rank: 192 }, { blocks: 6, rank: 192 }, 192),
      layer('gpt2s', 'mlp_c_proj', 'MLP c_proj', 3072, 768, 384, { blocks: 4, rank: 192 }, { blocks: 6, rank: 192 }, 192),
    ],
  },
  {
    id: 'dit-xl-2',
    name: 'DiT-XL/2',
    provenance: provenance('dit_xl', '16384 tokens (256×256 latent, patch 2); no Monarch config in the paper'),
    layers: [
      layer('dit_xl', 'qkv_proj', 'attention q, k, v (fused)', 1152, 3456, 16384, null, { blocks: 9, rank: 384 }, 384),
      layer('dit_xl', 'fc1', 'MLP fc1', 1152, 4608, 16384, null, { blocks: 9, rank: 256 }, 256),
      layer('dit_xl', 'adaln', 'adaLN modulation', 1152, 6912, 16384, null, { blocks: 9, rank: 256 }, 256),
    ],
  },
  {
    id: 'vit-b-16',
    name: 'ViT-B/16',
    provenance: provenance('vit_b_patch16_224', '197 tokens (14² patches + class token at 224²)'),
    layers: vitLayers('vit_b_patch16_224', 197),
  },
  {
    id: 'vit-b-8',
    name: 'ViT-B/8',
    provenance: provenance('vit_b_patch8_224', '785 tokens (28² patches + class token at 224²)'),
    layers: vitLayers('vit_b_patch8_224', 785),
  },
];
