/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-stopwords.h: the built-in stopword lists and stopword files. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The language codes with a built-in list ("en", "zh"), NULL-terminated. */
const char * const *wl_stopwords_languages (void);

/* The built-in list of @lang as a new string array, or NULL when there is
 * none.  English is the usual 179 words (with "not", "no" and the "n't"
 * forms); Chinese is about 340 function words and characters, without the
 * negations 不, 没, 无, 非, 别, 未, which classifiers need. */
char              **wl_stopwords_builtin   (const char  *lang);

/* The words of @path, one per line (UTF-8; blank lines and lines starting
 * with '#' are skipped; surrounding white space is trimmed). */
char              **wl_stopwords_read_file (const char  *path,
                                            GError     **error);

G_END_DECLS
