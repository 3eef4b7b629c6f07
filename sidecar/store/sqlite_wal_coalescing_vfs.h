// An SQLite VFS that writes each transaction's WAL frames to the file in a
// few large writes instead of two small ones per page.
//
// SQLite appends a WAL frame as two pwrite calls: a 24-byte frame header,
// then the page. A group commit of 15 ingests appends ~200 frames, so ~400
// syscalls, each touching one or two pages of the kernel's page cache (a
// frame is 4120 bytes, never page-aligned). This VFS wraps another (the
// default unless told otherwise) and, for WAL files only, keeps the frames
// of the transaction being written in memory, in order, and writes them
// out in 64 KiB pieces:
//   - as soon as the commit frame's page is appended (the frame header's
//     "database size after commit" field is non-zero), before SQLite goes
//     on to publish the transaction in the WAL index; so a commit is in the
//     file, and survives a crash of the process, exactly when it was
//     without this VFS, and readers never see frames that are not there;
//   - before any read, sync, truncate, size query, lock or file control on
//     the file, and when 1 MiB is held;
//   - and any write that is not the next append of a header or of the page
//     of the header just held (a page overwritten in place, a checksum
//     rewrite, a pattern this code does not know) first writes out what is
//     held and then goes straight through, so the file sees every write in
//     SQLite's order.
// Database files, journals and everything else go straight to the wrapped
// VFS's methods. Connections must not share a WAL file handle across
// threads at the same time, which SQLite already guarantees.
//
// Example:
//   sqlite3_open_v2(path, &db, flags, WalCoalescingVfs());
#ifndef CSE_SIDECAR_STORE_SQLITE_WAL_COALESCING_VFS_H_
#define CSE_SIDECAR_STORE_SQLITE_WAL_COALESCING_VFS_H_

struct sqlite3_vfs;

namespace cse::store {

// The name of the coalescing VFS over SQLite's default VFS, registered on
// first use (not as the default). nullptr (SQLite's default VFS) if it
// could not be registered.
const char* WalCoalescingVfs();

// Registers a coalescing VFS called `name` over `base` (which must outlive
// the process's use of it) and returns `name`; if a VFS called `name` is
// registered already, returns `name` without registering anything. For
// tests that count what reaches `base`. nullptr on failure.
const char* RegisterWalCoalescingVfs(const char* name, sqlite3_vfs* base);

}  // namespace cse::store

#endif  // CSE_SIDECAR_STORE_SQLITE_WAL_COALESCING_VFS_H_
