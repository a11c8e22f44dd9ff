// Splits what Dawn prints with its `dump_shaders` toggle into the SPIR-V of each pipeline, with
// what vk-pipeline-stats needs to rebuild it: descriptor set 0's bindings as letters (s storage
// buffer, u uniform buffer; - for none) and the workgroup size.
//   node bench/pipeline-stats/split-dump.mjs DUMP OUTDIR   writes OUTDIR/<i>.spvasm, prints
//   "<i>.spvasm BINDINGS WGx WGy WGz" per pipeline, or "<i>.spvasm SKIP <reason>" for one whose
//   interface vk-pipeline-stats cannot rebuild
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MARKER = '/* Dumped SPIRV disassembly */';

/** A SPIR-V disassembly line: a comment, an instruction, or an indented instruction. */
const isSpirvLine = (line) => /^(;|%|\s+\S)/.test(line);

/**
 * Each dumped module: its disassembly, its set-0 bindings in order and its LocalSize, or `skip`,
 * why its interface cannot be rebuilt.
 */
export function splitDump(text) {
  const modules = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() !== MARKER) continue;
    const body = [];
    for (i++; i < lines.length && isSpirvLine(lines[i]); i++) body.push(lines[i]);
    i--;
    const spirv = `${body.join('\n')}\n`;
    try {
      modules.push({ spirv, ...interfaceOf(body) });
    } catch (e) {
      modules.push({ spirv, skip: e.message });
    }
  }
  return modules;
}

function interfaceOf(body) {
  const set = new Map();
  const binding = new Map();
  const storage = new Map();
  let workgroupSize = null;
  for (const line of body) {
    const words = line.trim().split(/\s+/);
    if (words[0] === 'OpDecorate' && words[2] === 'DescriptorSet') set.set(words[1], Number(words[3]));
    if (words[0] === 'OpDecorate' && words[2] === 'Binding') binding.set(words[1], Number(words[3]));
    if (words[1] === '=' && words[2] === 'OpVariable') storage.set(words[0], words[4]);
    if (words[0] === 'OpExecutionMode' && words[2] === 'LocalSize') workgroupSize = words.slice(3, 6).map(Number);
  }
  const slots = [];
  for (const [id, b] of binding) {
    if (set.get(id) !== 0) throw new Error(`binding ${b} of ${id} is in set ${set.get(id)}: only set 0 is rebuilt`);
    const kind = storage.get(id);
    if (kind !== 'StorageBuffer' && kind !== 'Uniform') throw new Error(`binding ${b} of ${id} is a ${kind}, neither StorageBuffer nor Uniform`);
    slots[b] = kind === 'Uniform' ? 'u' : 's';
  }
  if (slots.some((s) => s === undefined) || slots.length !== binding.size) throw new Error('set 0 has gaps in its bindings');
  return { bindings: slots.join('') || '-', workgroupSize };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [dump, outDir] = process.argv.slice(2);
  if (!dump || !outDir) throw new Error('usage: node split-dump.mjs DUMP OUTDIR');
  splitDump(readFileSync(dump, 'utf8')).forEach((m, i) => {
    writeFileSync(join(outDir, `${i}.spvasm`), m.spirv);
    console.log(m.skip ? `${i}.spvasm SKIP ${m.skip}` : `${i}.spvasm ${m.bindings} ${(m.workgroupSize ?? ['?', '?', '?']).join(' ')}`);
  });
}
