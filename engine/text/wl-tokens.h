/* wl-tokens.h: the tokens of one document, packed.
 *
 * All token bytes live in one buffer, each token NUL-terminated; offsets[i]
 * is where token i starts.  One allocation pair per document keeps millions
 * of documents cheap to hold and to free.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  char    *buf;
  guint32 *offsets;
  guint32  n_tokens;
  guint32  buf_len;    /* bytes used in buf */
} WlTokenList;

static inline const char *
wl_token_list_get (const WlTokenList *list,
                   guint32            i)
{
  return list->buf + list->offsets[i];
}

void wl_token_list_clear (WlTokenList *list);

/* Frees an array of @n token lists allocated with g_new0(). */
void wl_token_lists_free (WlTokenList *lists,
                          gsize        n);

G_END_DECLS
