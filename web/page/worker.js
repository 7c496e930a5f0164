// ---- worker body (appended after the wasm-bindgen --target no-modules glue) ----
// Runs in a dedicated Worker started from a Blob URL, so that a hostile
// file can only hold this worker, which the page ends after its time limit.
// The page posts {type:'init', wasm} once, then {type:'validate', id, manifest, bytes}.
let ready = null;
self.onmessage = async (ev) => {
  const m = ev.data;
  try {
    if (m.type === 'init') {
      // Bytes, not a URL: the page's policy forbids every fetch.
      ready = wasm_bindgen({ module_or_path: m.wasm });
      await ready;
      self.postMessage({ type: 'ready', version: wasm_bindgen.version() });
    } else if (m.type === 'validate') {
      await ready;
      const out = wasm_bindgen.validate_set(m.manifest, new Uint8Array(m.bytes));
      self.postMessage({ type: 'result', id: m.id, json: out });
    }
  } catch (e) {
    self.postMessage({ type: 'error', id: m.id, text: String((e && e.message) || e) });
  }
};
