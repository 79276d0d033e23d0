/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-clean.h: the cleaning steps that run on text before it is tokenised.
 *
 * The steps run in this order, each only when its option is on:
 *
 *   1. strip_html: tags, comments, <script>/<style> content become a space;
 *      character references are decoded ("&amp;" -> "&").
 *   2. nfkc, casefold: Unicode NFKC normalisation ("ｆｕｌｌ－ｗｉｄｔｈ" ->
 *      "full-width", "，" -> ","), full case folding; both together are
 *      ICU's NFKC_Casefold.  Pure ASCII text takes a fast path.
 *   3. strip_urls: "http://", "https://", "ftp://" and "www." links become a
 *      space, or with mark_links the word WL_CLEAN_LINK_WORD between spaces
 *      (that a message has a link is often what tells spam, say, while the
 *      address itself is seldom seen twice); strip_emails: "name@host.tld"
 *      becomes a space.
 *   4. strip_punct: Unicode punctuation (P*) and symbols (S*) become a space,
 *      except emoji (Extended_Pictographic), which carry meaning; an
 *      apostrophe between two letters is dropped ("don't" -> "dont").
 *   5. digits: kept, dropped, or each decimal digit of any script becomes
 *      '0' ("２０２４年" -> "0000年" with NFKC or without).
 *   6. collapse_whitespace: runs of Unicode white space become one ' ', and
 *      the text is trimmed.
 *
 * Invalid UTF-8 is repaired (U+FFFD) first.  Stopwords and stemming act on
 * tokens, not here.
 */
#pragma once

#include <glib.h>

#include "wl-config.h"

G_BEGIN_DECLS

/* What a removed link leaves with mark_links: one word to the tokenizers
 * (UAX #29 joins letters and '_'), and none that text would have. */
#define WL_CLEAN_LINK_WORD "_link_"

/* Buffers reused from one text to the next; one per thread. */
typedef struct _WlCleanScratch WlCleanScratch;

WlCleanScratch *wl_clean_scratch_new  (void);
void            wl_clean_scratch_free (WlCleanScratch      *scratch);

/* Replaces the content of @out by @text (@len bytes, or -1 if
 * NUL-terminated) cleaned as @config says. */
void            wl_clean_text_into    (const WlCleanConfig *config,
                                       const char          *text,
                                       gssize               len,
                                       WlCleanScratch      *scratch,
                                       GString             *out);

/* The same, for one text, in a new string. */
char           *wl_clean_text         (const WlCleanConfig *config,
                                       const char          *text,
                                       gssize               len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WlCleanScratch, wl_clean_scratch_free)

G_END_DECLS
