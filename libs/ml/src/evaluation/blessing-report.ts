import { formatDistinct, formatNumber, formatSigned } from './format-number';
import { type TBlessing, type TModelRef, type TThresholdCheck } from './schemas';

/**
 * The blessing for people: plain text for the CLI, Markdown for reports and PR comments. Failed
 * checks come first with their full reasons; passed checks are counted in text and tabled in Markdown.
 */
export function formatBlessingReport(blessing: TBlessing, format: 'text' | 'markdown' = 'text'): string {
  return format === 'markdown' ? formatMarkdown(blessing) : formatText(blessing);
}

function formatText(blessing: TBlessing): string {
  const failed = blessing.checks.filter((c) => c.status === 'failed');
  const skipped = blessing.checks.filter((c) => c.status === 'skipped');
  const passed = blessing.checks.filter((c) => c.status === 'passed');
  const lines = [`${blessing.blessed ? 'BLESSED' : 'NOT BLESSED'}: ${blessing.message}`];
  lines.push(`Candidate: ${describeModel(blessing.candidateModel)}. Baseline: ${describeModel(blessing.baselineModel)}.`);
  if (failed.length > 0) {
    lines.push(`Failed (${failed.length}):`);
    for (const c of failed) lines.push(`  ✗ ${c.reason}`);
  }
  if (skipped.length > 0) {
    lines.push(`Skipped (${skipped.length}):`);
    for (const c of skipped) lines.push(`  - ${c.reason}`);
  }
  if (passed.length > 0) lines.push(`Passed: ${passed.length} check${passed.length === 1 ? '' : 's'}.`);
  for (const warning of blessing.warnings) lines.push(`Warning: ${warning}`);
  return lines.join('\n');
}

function formatMarkdown(blessing: TBlessing): string {
  const lines = [`### ${blessing.blessed ? '✅ Blessed' : '❌ Not blessed'}`, '', escapeMarkdown(blessing.message), ''];
  lines.push(`Candidate: ${escapeMarkdown(describeModel(blessing.candidateModel))} · Baseline: ${escapeMarkdown(describeModel(blessing.baselineModel))}`, '');
  if (blessing.reasons.length > 0 && blessing.reasons[0] !== blessing.message) {
    lines.push('**Reasons**', '', ...blessing.reasons.map((r) => `- ${escapeMarkdown(r)}`), '');
  }
  if (blessing.checks.length > 0) {
    const order = { failed: 0, skipped: 1, passed: 2 } as const;
    const checks = [...blessing.checks].sort((a, b) => order[a.status] - order[b.status]);
    lines.push('| Status | Slice | Metric | Threshold | Candidate | Baseline | Change |', '|---|---|---|---|---|---|---|');
    for (const c of checks) lines.push(tableRow(c));
    lines.push('');
  }
  if (blessing.warnings.length > 0) lines.push('**Warnings**', '', ...blessing.warnings.map((w) => `- ${escapeMarkdown(w)}`), '');
  return lines.join('\n').trimEnd() + '\n';
}

function tableRow(c: TThresholdCheck): string {
  const status = c.status === 'passed' ? '✅ passed' : c.status === 'failed' ? '❌ failed' : '⏭ skipped';
  const number = (v: number | null | undefined) => (v === null || v === undefined ? '—' : formatNumber(v));
  const change =
    c.diff === null || c.diff === undefined
      ? '—'
      : `${formatSigned(number(c.diff))}${c.relativeDiff === null || c.relativeDiff === undefined ? '' : ` (${formatSigned(number(c.relativeDiff * 100))}%)`}`;
  const cells = [status, c.slice, c.metric, describeThreshold(c), number(c.candidate), number(c.baseline), change];
  return `| ${cells.map(escapeMarkdown).join(' | ')} |`;
}

function describeThreshold(c: TThresholdCheck): string {
  const { valueThreshold: value, changeThreshold: change } = c;
  if (c.kind === 'value' && value) {
    const [lower, upper] = formatDistinct([value.lower ?? -Infinity, value.upper ?? Infinity]);
    return `value in [${lower}, ${upper}]`;
  }
  if (c.kind === 'change' && change) {
    const op = change.direction === 'HIGHER_IS_BETTER' ? '≥' : '≤';
    const parts = [];
    if (change.absolute !== undefined) parts.push(`Δ ${op} ${formatNumber(change.absolute)}`);
    if (change.relative !== undefined) parts.push(`Δ/b ${op} ${formatNumber(change.relative)}`);
    return parts.join(', ');
  }
  return c.kind;
}

function describeModel(model: TModelRef | null): string {
  if (model === null) return 'none';
  return model.servingVersion === undefined ? model.id : `${model.id} (serving version ${model.servingVersion})`;
}

function escapeMarkdown(text: string): string {
  return text.replace(/([|\\*_`[\]<>])/g, '\\$1');
}
