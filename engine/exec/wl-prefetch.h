/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-prefetch.h: preparing the next piece of input while the caller works
 * on the current one (tf.data's prefetch, with a buffer of one).
 *
 * A trainer that reads its input in pieces (a window of features read back
 * from disk, a batch assembled) starts the next piece with
 * wl_prefetch_start() before it steps on the current one, and collects it
 * with wl_prefetch_wait(), which says how long it waited.  One piece is in
 * flight at a time, so the memory held is two pieces: the one in use and
 * the one being filled.  The pieces are filled in the order they were
 * started, with the same function, so the input is the same with or
 * without prefetching; only when it is ready changes.
 *
 * The fill runs on a small process-wide pool of its own, apart from
 * wl_parallel_for()'s (whose workers may all be training).  Prefetching is
 * on unless the environment variable WORDLOOM_PREFETCH is 0: then
 * wl_prefetch_wait() fills the piece itself, on the caller's thread, as
 * the code did before (for tests and for measuring what prefetching
 * gains).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Fills @piece; may fail (a read error).  Runs on a prefetch thread, or on
 * the caller's when prefetching is off. */
typedef gboolean (*WlPrefetchFunc) (gpointer   piece,
                                    gpointer   user_data,
                                    GError   **error);

typedef struct _WlPrefetch WlPrefetch;

/* Whether prefetching is on (WORDLOOM_PREFETCH). */
gboolean    wl_prefetch_enabled (void);
WlPrefetch *wl_prefetch_new     (WlPrefetchFunc  func,
                                 gpointer        user_data);
/* Waits for a piece still being filled, then frees. */
void        wl_prefetch_free    (WlPrefetch     *prefetch);
/* Starts filling @piece; nothing else may be in flight. */
void        wl_prefetch_start   (WlPrefetch     *prefetch,
                                 gpointer        piece);
/* Waits until the piece started last is filled and returns whether it
 * was; adds the microseconds the caller waited (or, with prefetching off,
 * spent filling it) to *@waited_us. */
gboolean    wl_prefetch_wait    (WlPrefetch     *prefetch,
                                 gint64         *waited_us,
                                 GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WlPrefetch, wl_prefetch_free)

G_END_DECLS
