/** Pagination moves between numbered pages; the current page is announced. */
export function Pagination({ page, pageSize, total, onPage }: { page: number; pageSize: number; total: number; onPage: (p: number) => void }) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (pages <= 1) return null;
  return (
    <nav aria-label="Pagination" className="flex items-center justify-between gap-2 pt-4">
      <button type="button" className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm disabled:text-slate-500" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        Previous
      </button>
      <span className="text-sm" aria-current="page">
        Page {page} of {pages}
      </span>
      <button type="button" className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm disabled:text-slate-500" disabled={page >= pages} onClick={() => onPage(page + 1)}>
        Next
      </button>
    </nav>
  );
}
