import { describe, expect, it } from 'vitest';
import { splitDump } from './split-dump.mjs';

/** Dawn's dump_shaders output, cut down: WGSL, then one SPIR-V module per pipeline, then other output. */
const module = (decorations, variables, size) => [
  '/* Dumped SPIRV disassembly */',
  '; SPIR-V',
  '               OpCapability Shader',
  '               OpEntryPoint GLCompute %9 "dawn_entry_point" %1 %2',
  `               OpExecutionMode %9 LocalSize ${size}`,
  ...decorations.map((d) => `               OpDecorate ${d}`),
  ...variables.map((v) => `          ${v}`),
  '               OpFunctionEnd',
];
const dump = [
  'info:',
  '// Dumped WGSL:',
  '@compute @workgroup_size(16, 16) fn main() {}',
  'info:',
  ...module(['%1 DescriptorSet 0', '%1 Binding 0', '%2 DescriptorSet 0', '%2 Binding 2', '%3 DescriptorSet 0', '%3 Binding 1'],
    ['%1 = OpVariable %_ptr_StorageBuffer__struct_3 StorageBuffer', '%2 = OpVariable %_ptr_Uniform__struct_5 Uniform', '%3 = OpVariable %_ptr_StorageBuffer__struct_7 StorageBuffer'], '16 16 1'),
  'info:',
  ...module(['%1 DescriptorSet 0', '%1 Binding 0'], ['%1 = OpVariable %_ptr_StorageBuffer__struct_3 StorageBuffer'], '256 1 1'),
  'dense tiled f32 m=300 n=260 T=257 seed=1',
  'relErr=1.6e-7 ok=true',
].join('\n');

describe("split-dump: Dawn's dumped SPIR-V, one module per pipeline", () => {
  it('finds each module with its set-0 bindings in binding order and its workgroup size', () => {
    const modules = splitDump(dump);
    expect(modules.map((m) => [m.bindings, m.workgroupSize])).toEqual([['ssu', [16, 16, 1]], ['s', [256, 1, 1]]]);
  });

  it('keeps only the disassembly: no markers, WGSL or the output after it', () => {
    const [first, second] = splitDump(dump);
    expect(first.spirv.startsWith('; SPIR-V\n')).toBe(true);
    expect(first.spirv).not.toMatch(/info:|Dumped|@compute/);
    expect(second.spirv.trimEnd().endsWith('OpFunctionEnd')).toBe(true);
  });

  it('marks what it cannot rebuild (another descriptor set, gaps, other resources) and keeps the rest', () => {
    const one = (decorations, variable) => module(decorations, [variable], '1 1 1').join('\n');
    const storage = '%1 = OpVariable %_ptr_StorageBuffer__struct_3 StorageBuffer';
    const skipOf = (text) => splitDump(text)[0].skip;
    expect(skipOf(one(['%1 DescriptorSet 1', '%1 Binding 0'], storage))).toMatch(/set 1/);
    expect(skipOf(one(['%1 DescriptorSet 0', '%1 Binding 1'], storage))).toMatch(/gaps/);
    expect(skipOf(one(['%1 DescriptorSet 0', '%1 Binding 0'], '%1 = OpVariable %_ptr_UniformConstant_x UniformConstant'))).toMatch(/UniformConstant/);
    const [skipped, kept] = splitDump(`${one(['%1 DescriptorSet 1', '%1 Binding 0'], storage)}\ninfo:\n${one(['%1 DescriptorSet 0', '%1 Binding 0'], storage)}`);
    expect([skipped.skip !== undefined, kept.skip, kept.bindings]).toEqual([true, undefined, 's']);
    expect(splitDump(module([], [], '1 1 1').join('\n'))[0].bindings).toBe('-');
  });
});
