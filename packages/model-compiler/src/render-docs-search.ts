/**
 * The docs page's search box: a client-side filter over every element with `data-search` (model
 * sections, their column rows, exposure sections). A section stays when its own text matches (all
 * its rows shown) or one of its rows does (only those shown). Inline, so the page stays one file.
 */
export const docsSearchBox =
  '<p><input type="search" id="docs-search" placeholder="Search models, columns, exposures" aria-label="Search models, columns and exposures" size="40"> <span id="docs-search-count" aria-live="polite"></span></p>';

export const docsSearchScript = `<script>
(() => {
  const input = document.getElementById('docs-search');
  const count = document.getElementById('docs-search-count');
  const sections = [...document.querySelectorAll('section[data-search]')];
  const filter = () => {
    const terms = input.value.toLowerCase().split(/\\s+/).filter(Boolean);
    const matches = (text) => terms.every((term) => text.includes(term));
    let shown = 0;
    for (const section of sections) {
      const rows = [...section.querySelectorAll('[data-search]')];
      const own = matches(section.dataset.search);
      let anyRow = false;
      for (const row of rows) {
        const keep = own || matches(row.dataset.search);
        row.hidden = !keep;
        anyRow = anyRow || matches(row.dataset.search);
      }
      section.hidden = !(own || anyRow);
      if (!section.hidden) shown += 1;
    }
    count.textContent = terms.length === 0 ? '' : shown + ' of ' + sections.length + ' shown';
  };
  input.addEventListener('input', filter);
})();
</script>`;
