/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-html.c: a small scanner that drops HTML tags and decodes entities. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "text/wl-html.h"

/* A tag longer than this is not a tag but a stray '<'. */
#define MAX_TAG_LEN    4096
#define MAX_ENTITY_LEN 32

typedef struct
{
  const char *name;
  gunichar    c;
} Entity;

/* The references that turn up in scraped text; any other well-formed
 * named reference becomes a space. */
static const Entity entities[] = {
  { "amp", '&' },       { "lt", '<' },         { "gt", '>' },
  { "quot", '"' },      { "apos", '\'' },      { "nbsp", 0x00A0 },
  { "ensp", 0x2002 },   { "emsp", 0x2003 },    { "thinsp", 0x2009 },
  { "shy", 0x00AD },    { "copy", 0x00A9 },    { "reg", 0x00AE },
  { "trade", 0x2122 },  { "hellip", 0x2026 },  { "mdash", 0x2014 },
  { "ndash", 0x2013 },  { "lsquo", 0x2018 },   { "rsquo", 0x2019 },
  { "ldquo", 0x201C },  { "rdquo", 0x201D },   { "laquo", 0x00AB },
  { "raquo", 0x00BB },  { "euro", 0x20AC },    { "pound", 0x00A3 },
  { "yen", 0x00A5 },    { "cent", 0x00A2 },    { "deg", 0x00B0 },
  { "middot", 0x00B7 }, { "bull", 0x2022 },    { "times", 0x00D7 },
  { "divide", 0x00F7 }, { "sect", 0x00A7 },    { "para", 0x00B6 },
};

/* The HTML elements, sorted: "<b>" is a tag, "<Forwarded from 4487>" and
 * "<fone no>" in a text message are not. */
static const char *const elements[] = {
  "a", "abbr", "address", "area", "article", "aside", "audio", "b", "base",
  "bdi", "bdo", "big", "blockquote", "body", "br", "button", "canvas",
  "caption", "center", "cite", "code", "col", "colgroup", "data", "datalist",
  "dd", "del", "details", "dfn", "dialog", "div", "dl", "dt", "em", "embed",
  "fieldset", "figcaption", "figure", "font", "footer", "form", "frame",
  "frameset", "h1", "h2", "h3", "h4", "h5", "h6", "head", "header", "hr",
  "html", "i", "iframe", "img", "input", "ins", "kbd", "label", "legend",
  "li", "link", "main", "map", "mark", "meta", "meter", "nav", "nobr",
  "noscript", "object", "ol", "optgroup", "option", "output", "p", "param",
  "picture", "pre", "progress", "q", "rp", "rt", "ruby", "s", "samp",
  "script", "section", "select", "small", "source", "span", "strike",
  "strong", "style", "sub", "summary", "sup", "table", "tbody", "td",
  "template", "textarea", "tfoot", "th", "thead", "time", "title", "tr",
  "track", "tt", "u", "ul", "var", "video", "wbr",
};

#define MAX_ELEMENT_LEN 10

static int
compare_names (const void *a,
               const void *b)
{
  return strcmp (a, *(const char *const *) b);
}

/* TRUE if @s starts with '<' or "</", an HTML element name and then '>',
 * '/' or white space. */
static gboolean
is_tag_start (const char *s,
              gsize       len)
{
  char name[MAX_ELEMENT_LEN + 1];
  gsize i = s[1] == '/' ? 2 : 1;
  gsize n = 0;

  while (i < len && g_ascii_isalnum (s[i]) && n < MAX_ELEMENT_LEN)
    name[n++] = g_ascii_tolower (s[i++]);
  name[n] = '\0';
  if (n == 0 || i >= len || !(s[i] == '>' || s[i] == '/' || g_ascii_isspace (s[i])))
    return FALSE;

  return bsearch (name, elements, G_N_ELEMENTS (elements), sizeof elements[0],
                  compare_names) != NULL;
}

static gboolean
has_prefix_nocase (const char *s,
                   gsize       len,
                   const char *prefix)
{
  gsize n = strlen (prefix);

  return len >= n && g_ascii_strncasecmp (s, prefix, n) == 0;
}

/* Finds @needle (ASCII, lower case) in @s ignoring case; returns its
 * offset, or -1. */
static gssize
find_nocase (const char *s,
             gsize       len,
             const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; i + n <= len; i++)
    if (g_ascii_tolower (s[i]) == needle[0] &&
        g_ascii_strncasecmp (s + i, needle, n) == 0)
      return (gssize) i;

  return -1;
}

/* Length of the tag, comment or raw-text element at @s (which starts with
 * '<'), or 0 if @s does not start one. */
static gsize
markup_length (const char *s,
               gsize       len)
{
  const char *end;
  gsize limit = MIN (len, MAX_TAG_LEN);
  gsize tag_len;
  gssize close;

  if (len < 3)
    return 0;

  if (has_prefix_nocase (s, len, "<!--"))
    {
      gssize found = find_nocase (s + 4, len - 4, "-->");
      return found < 0 ? 0 : (gsize) found + 7;
    }
  /* Elements, and <!DOCTYPE ...>, <?xml ...?>. */
  if (!(s[1] == '!' && g_ascii_isalpha (s[2])) && s[1] != '?' && !is_tag_start (s, len))
    return 0;

  for (tag_len = 1; tag_len < limit; tag_len++)
    if (s[tag_len] == '>' || s[tag_len] == '<')
      break;
  if (tag_len >= limit || s[tag_len] != '>')
    return 0;
  end = s + tag_len + 1;

  /* Script and style content is code, not text. */
  for (guint i = 0; i < 2; i++)
    {
      const char *name = i == 0 ? "<script" : "<style";
      const char *closing = i == 0 ? "</script" : "</style";
      gsize n = strlen (name);

      if (!has_prefix_nocase (s, tag_len, name) ||
          (s[n] != '>' && s[n] != '/' && !g_ascii_isspace (s[n])))
        continue;
      close = find_nocase (end, len - (end - s), closing);
      if (close >= 0)
        {
          const char *gt = memchr (end + close, '>', len - (end - s) - close);
          if (gt != NULL)
            return gt + 1 - s;
        }
    }

  return tag_len + 1;
}

/* Decodes the character reference at @s (which starts with '&') into @c;
 * returns its length, or 0 if @s does not start one. */
static gsize
entity_length (const char *s,
               gsize       len,
               gunichar   *c)
{
  gsize i = 1;

  if (len > 2 && s[1] == '#')
    {
      gboolean hex = s[2] == 'x' || s[2] == 'X';
      guint64 value = 0;
      gsize digits = 0;

      for (i = hex ? 3 : 2; i < len && digits < 8; i++, digits++)
        {
          int d = hex ? g_ascii_xdigit_value (s[i]) : g_ascii_digit_value (s[i]);
          if (d < 0)
            break;
          value = value * (hex ? 16 : 10) + (guint64) d;
        }
      if (digits == 0)
        return 0;
      if (i < len && s[i] == ';')
        i++;
      *c = value != 0 && value <= 0x10FFFF && (value < 0xD800 || value > 0xDFFF)
           ? (gunichar) value : 0xFFFD;
      return i;
    }

  while (i < len && i <= MAX_ENTITY_LEN && g_ascii_isalnum (s[i]))
    i++;
  if (i == 1 || i >= len || s[i] != ';' || !g_ascii_isalpha (s[1]))
    return 0;

  *c = ' ';
  for (gsize k = 0; k < G_N_ELEMENTS (entities); k++)
    if (strlen (entities[k].name) == i - 1 &&
        memcmp (entities[k].name, s + 1, i - 1) == 0)
      {
        *c = entities[k].c;
        break;
      }

  return i + 1;
}

void
wl_html_strip (const char *text,
               gsize       len,
               GString    *out)
{
  gsize start = 0;

  g_return_if_fail (text != NULL || len == 0);
  g_return_if_fail (out != NULL);

  for (gsize i = 0; i < len; i++)
    {
      gsize n = 0;
      gunichar c = ' ';

      if (text[i] == '<')
        n = markup_length (text + i, len - i);
      else if (text[i] == '&')
        n = entity_length (text + i, len - i, &c);
      if (n == 0)
        continue;

      g_string_append_len (out, text + start, i - start);
      g_string_append_unichar (out, c);
      i += n - 1;
      start = i + 1;
    }
  g_string_append_len (out, text + start, len - start);
}
