/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-html.h: removing HTML markup from text. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Appends @text (@len bytes) to @out with every tag of an HTML element
 * ("<p>", "</b>", "<img src=x.png/>"), comment, <!DOCTYPE> and <?...?>, and
 * the content of <script> and <style> elements, replaced by one space, and
 * with character references decoded: "&amp;" -> "&", "&#233;" -> "é".
 * An unknown named reference ("&foo;") becomes a space.  A '<' or '&' that
 * does not start markup ("a < b", "<3", "<fone no>", "AT&T") is kept. */
void wl_html_strip (const char *text,
                    gsize       len,
                    GString    *out);

G_END_DECLS
