/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-tokens.c: packed token lists and the builder that fills them. */
#include "config.h"

#include <string.h>

#include "text/wl-tokens.h"

void
wl_token_list_clear (WlTokenList *list)
{
  g_return_if_fail (list != NULL);

  g_clear_pointer (&list->buf, g_free);
  g_clear_pointer (&list->offsets, g_free);
  list->n_tokens = 0;
  list->buf_len = 0;
}

void
wl_token_lists_free (WlTokenList *lists,
                     gsize        n)
{
  if (lists == NULL)
    return;

  for (gsize i = 0; i < n; i++)
    wl_token_list_clear (&lists[i]);
  g_free (lists);
}

void
wl_token_builder_init (WlTokenBuilder *builder)
{
  g_return_if_fail (builder != NULL);

  memset (builder, 0, sizeof *builder);
}

void
wl_token_builder_clear (WlTokenBuilder *builder)
{
  g_return_if_fail (builder != NULL);

  g_free (builder->buf);
  g_free (builder->offsets);
  memset (builder, 0, sizeof *builder);
}

const char *
wl_token_builder_append (WlTokenBuilder *builder,
                         const char     *token,
                         gsize           len)
{
  char *dest;

  g_return_val_if_fail (builder != NULL, NULL);
  g_return_val_if_fail (token != NULL || len == 0, NULL);

  /* WlTokenList counts bytes and tokens in 32 bits. */
  if (len >= G_MAXUINT32 - builder->buf_len || builder->n_tokens >= G_MAXUINT32)
    return NULL;

  if (builder->buf_len + len + 1 > builder->buf_size)
    {
      builder->buf_size = MAX (MAX (builder->buf_size * 2, 256),
                               builder->buf_len + len + 1);
      builder->buf = g_realloc (builder->buf, builder->buf_size);
    }
  if (builder->n_tokens == builder->offsets_size)
    {
      builder->offsets_size = MAX (builder->offsets_size * 2, 64);
      builder->offsets = g_renew (guint32, builder->offsets, builder->offsets_size);
    }

  dest = builder->buf + builder->buf_len;
  memcpy (dest, token, len);
  dest[len] = '\0';
  builder->offsets[builder->n_tokens++] = (guint32) builder->buf_len;
  builder->buf_len += len + 1;

  return dest;
}

void
wl_token_builder_pop (WlTokenBuilder *builder)
{
  g_return_if_fail (builder != NULL);
  g_return_if_fail (builder->n_tokens > 0);

  builder->buf_len = builder->offsets[--builder->n_tokens];
}

void
wl_token_builder_finish (WlTokenBuilder *builder,
                         WlTokenList    *out)
{
  g_return_if_fail (builder != NULL);
  g_return_if_fail (out != NULL);

  wl_token_list_clear (out);
  if (builder->n_tokens > 0)
    {
      out->buf = g_memdup2 (builder->buf, builder->buf_len);
      out->offsets = g_memdup2 (builder->offsets,
                                builder->n_tokens * sizeof (guint32));
      out->n_tokens = (guint32) builder->n_tokens;
      out->buf_len = (guint32) builder->buf_len;
    }
  builder->buf_len = 0;
  builder->n_tokens = 0;
}
