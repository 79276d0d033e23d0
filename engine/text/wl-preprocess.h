/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-preprocess.h: cleaning and tokenising, one document or many in parallel.
 *
 * A WlPreprocessor is immutable once made and safe to use from any number
 * of threads at once.  Its config must be resolved first (no "auto" left):
 * wl_preprocess_resolve_config() picks the tokenizer, stopword lists and
 * stemmer from the script and language detected in sample texts, so a
 * saved model tokenises new text exactly as it was trained.
 */
#pragma once

#include <gio/gio.h>

#include "wl-config.h"
#include "wl-tokens.h"

G_BEGIN_DECLS

typedef struct _WlPreprocessor WlPreprocessor;

/* Replaces WL_TOKENIZER_AUTO, stopwords "auto" and stem "auto" in @clean and
 * @tokens by what suits @texts (a sample is enough). */
void            wl_preprocess_resolve_config (WlCleanConfig       *clean,
                                              WlTokenConfig       *tokens,
                                              const char * const  *texts,
                                              gsize                n_texts);

WlPreprocessor *wl_preprocessor_new          (const WlCleanConfig *clean,
                                              const WlTokenConfig *tokens,
                                              GError             **error);
void            wl_preprocessor_free         (WlPreprocessor      *pp);

/* The cleaned text, before tokenising (for previews). */
char           *wl_preprocessor_clean        (const WlPreprocessor *pp,
                                              const char          *text);

/* Cleans and tokenises @text into @out (cleared first). */
void            wl_preprocessor_tokenize     (const WlPreprocessor *pp,
                                              const char          *text,
                                              WlTokenList         *out);

/* Tokenises @texts[i] into @out[i] on @n_threads threads (0 = cores);
 * the output is in input order.  Returns FALSE only when cancelled. */
gboolean        wl_preprocess_all            (const WlPreprocessor *pp,
                                              const char * const  *texts,
                                              gsize                n_texts,
                                              guint                n_threads,
                                              WlTokenList         *out,
                                              GCancellable        *cancellable,
                                              GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WlPreprocessor, wl_preprocessor_free)

G_END_DECLS
