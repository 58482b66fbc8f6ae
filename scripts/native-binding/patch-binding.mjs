// Adds tsfx's graph-function calls (tsfx_graph_functions.inc) to tfjs-node's binding source
// before `npm rebuild` compiles it. Each edit is anchored on a line of tfjs-node 4.x's source and
// fails loudly when the anchor moved, so a new tfjs-node version is noticed, not miscompiled.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const MARKER = 'tsfx_graph_functions';

/** Inserts `addition` after (or before) the first match of `anchor` in `file`. */
function insert(file, anchor, addition, where = 'after') {
  const source = readFileSync(file, 'utf8');
  const match = source.match(anchor);
  if (!match || match.index === undefined) throw new Error(`cannot patch ${file}: no match for ${anchor} (a tfjs-node version tsfx does not know?)`);
  const at = where === 'after' ? match.index + match[0].length : match.index;
  writeFileSync(file, source.slice(0, at) + addition + source.slice(at));
}

/** Patches the binding sources under `addonDir`; returns false when they already carry the patch. */
export function patchBinding(addonDir) {
  const binding = join(addonDir, 'binding');
  const bindingSource = join(binding, 'tfjs_binding.cc');
  if (readFileSync(bindingSource, 'utf8').includes(MARKER)) return false;
  copyFileSync(join(here, `${MARKER}.inc`), join(binding, `${MARKER}.inc`));
  insert(
    join(binding, 'tfjs_backend.h'),
    /static TFJSBackend \*Create\(napi_env env\);\n/,
    '\n  // tsfx: the eager context, to register graph functions in (tsfx_graph_functions.inc).\n  TFE_Context *tsfx_context() const { return tfe_context_; }\n',
  );
  insert(bindingSource, /#include "utils.h"\n/, '#include <cstdlib>\n#include <vector>\n');
  insert(bindingSource, /static napi_value InitTFNodeJSBinding\(/, `#include "${MARKER}.inc"\n\n`, 'before');
  insert(
    bindingSource,
    /\{"getNumOfTensors",[^}]*\},\n/,
    '      {"addGraphFunction", nullptr, TsfxAddGraphFunction, nullptr, nullptr, nullptr, napi_default, nullptr},\n' +
      '      {"removeGraphFunction", nullptr, TsfxRemoveGraphFunction, nullptr, nullptr, nullptr, napi_default, nullptr},\n',
  );
  return true;
}
