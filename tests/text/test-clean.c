/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-clean.c: each cleaning step of engine/text, on and off. */
#include "config.h"

#include <string.h>

#include "text/wl-clean.h"
#include "text/wl-html.h"

/* Every option off: the text goes through unchanged. */
static WlCleanConfig
config_none (void)
{
  WlCleanConfig config = { 0 };

  config.digits = WL_DIGITS_KEEP;
  return config;
}

/* What the defaults are likely to be. */
static WlCleanConfig
config_all (void)
{
  WlCleanConfig config = config_none ();

  config.nfkc = TRUE;
  config.casefold = TRUE;
  config.strip_urls = TRUE;
  config.mark_links = TRUE;
  config.strip_emails = TRUE;
  config.strip_html = TRUE;
  config.strip_punct = TRUE;
  config.collapse_whitespace = TRUE;
  return config;
}

static void
assert_clean (const WlCleanConfig *config,
              const char          *text,
              const char          *expected)
{
  g_autofree char *cleaned = wl_clean_text (config, text, -1);

  g_assert_cmpstr (cleaned, ==, expected);
}

static void
test_nothing (void)
{
  WlCleanConfig config = config_none ();
  const char *texts[] = {
    "", "  Hello,  WORLD!\t", "ＡＢＣ１２３，这家酒店！", "<b>x</b> &amp; http://a.com a@b.com",
    "Straße 2024 😀", "line\nbreak\r\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    assert_clean (&config, texts[i], texts[i]);
}

static void
test_nfkc_casefold (void)
{
  WlCleanConfig config = config_none ();

  config.nfkc = TRUE;
  assert_clean (&config, "ＡＢＣ１２３，ｆｕｌｌ", "ABC123,full");
  assert_clean (&config, "这家酒店的服务很好！", "这家酒店的服务很好!");
  assert_clean (&config, "ﬁne ①", "fine 1");
  assert_clean (&config, "Hello World", "Hello World");

  config.casefold = TRUE;
  assert_clean (&config, "ＡＢＣ Straße ΣΑΣ", "abc strasse σασ");
  assert_clean (&config, "Hello WORLD", "hello world");

  config.nfkc = FALSE;
  assert_clean (&config, "ＡＢＣ Straße", "ａｂｃ strasse");
  assert_clean (&config, "MIXED Case", "mixed case");
}

static void
test_urls (void)
{
  WlCleanConfig config = config_none ();

  config.strip_urls = TRUE;
  assert_clean (&config, "see http://example.com/a?b=1. now", "see  . now");
  assert_clean (&config, "(https://x.org/p)", "( )");
  assert_clean (&config, "go to WWW.Example.co.uk!", "go to  !");
  assert_clean (&config, "ftp://files.net/x y", "  y");
  assert_clean (&config, "链接http://t.cn/abc很好", "链接 很好");
  /* Not links. */
  assert_clean (&config, "awww.x www. http:// httpd", "awww.x www. http:// httpd");

  config.strip_urls = FALSE;
  assert_clean (&config, "see http://example.com", "see http://example.com");
}

/* mark_links: a removed link leaves one word, whatever surrounds it; links
 * of the fewest bytes, back to back, leave more than they took. */
static void
test_link_word (void)
{
  WlCleanConfig config = config_none ();
  GString *links = g_string_new (NULL);
  GString *expected = g_string_new (NULL);

  config.strip_urls = TRUE;
  config.mark_links = TRUE;
  assert_clean (&config, "see http://example.com/a?b=1. now", "see  _link_ . now");
  assert_clean (&config, "链接http://t.cn/abc很好", "链接 _link_ 很好");
  assert_clean (&config, "awww.x www. http://", "awww.x www. http://");
  config.collapse_whitespace = TRUE;
  assert_clean (&config, "see http://example.com/a?b=1. now", "see _link_ . now");
  assert_clean (&config, "www.a", "_link_");
  assert_clean (&config, "www.a www.b, www.c", "_link_ _link_ , _link_");
  config.collapse_whitespace = FALSE;
  for (guint i = 0; i < 1000; i++)
    {
      g_string_append (links, "www.a ");
      g_string_append (expected, " _link_  ");
    }
  assert_clean (&config, links->str, expected->str);
  g_string_free (links, TRUE);
  g_string_free (expected, TRUE);

  /* Only removed links leave it. */
  config.strip_urls = FALSE;
  assert_clean (&config, "see http://example.com", "see http://example.com");
}

static void
test_emails (void)
{
  WlCleanConfig config = config_none ();

  config.strip_emails = TRUE;
  assert_clean (&config, "mail john.doe+x@example.co.uk today", "mail   today");
  assert_clean (&config, "(a_b@c-d.com).", "( ).");
  assert_clean (&config, "x@y.com,z@w.org", " , ");
  assert_clean (&config, "联系me@qq.com谢谢", "联系 谢谢");
  /* Not addresses. */
  assert_clean (&config, "@user a@b a@b.c me@ .@x.com", "@user a@b a@b.c me@ .@x.com");

  config.strip_urls = TRUE;
  assert_clean (&config, "http://user@host.com/p x@y.com", "   ");
}

static void
test_html (void)
{
  WlCleanConfig config = config_none ();
  GString *out = g_string_new (NULL);

  config.strip_html = TRUE;
  assert_clean (&config, "<p>Hello <b>world</b></p>", " Hello  world  ");
  assert_clean (&config, "a &amp; b &lt;3 &quot;x&quot; &#39;y&#39; &#x4E2D;&#25991;",
                "a & b <3 \"x\" 'y' 中文");
  assert_clean (&config, "x<script type=\"a\">var a = 1 < 2;</script>y<style>p{}</style>z",
                "x y z");
  assert_clean (&config, "<!-- hidden <b> -->shown", " shown");
  assert_clean (&config, "a < b, <3, AT&T, &unknown; &nosemi x", "a < b, <3, AT&T,   &nosemi x");
  assert_clean (&config, "<br/>line<BR><img src=\"a.png\"/>", " line  ");
  assert_clean (&config, "<!DOCTYPE html><?xml version=\"1.0\"?>x", "  x");
  /* Angle brackets around words that are not HTML elements stay. */
  assert_clean (&config, "<Forwarded from 448712404000> <fone no> <inputTYPE=x> <b",
                "<Forwarded from 448712404000> <fone no> <inputTYPE=x> <b");
  assert_clean (&config, "&#0; &#xD800; &#1114112;", "\xEF\xBF\xBD \xEF\xBF\xBD \xEF\xBF\xBD");

  /* &nbsp; decodes to U+00A0, which NFKC and collapsing turn into a space. */
  assert_clean (&config, "a&nbsp;b", "a\xC2\xA0" "b");
  config = config_all ();
  assert_clean (&config, "<p>Hello&nbsp;<b>World</b> &amp; more</p>", "hello world more");

  /* The scanner alone, on text without NUL termination. */
  wl_html_strip ("<i>ab</i>cdef", 10, out);
  g_assert_cmpstr (out->str, ==, " ab c");
  g_string_free (out, TRUE);
}

static void
test_punct (void)
{
  WlCleanConfig config = config_none ();

  config.strip_punct = TRUE;
  assert_clean (&config, "Hello, world! (test)", "Hello  world   test ");
  assert_clean (&config, "【好】，。、“引号”", " 好     引号 ");
  assert_clean (&config, "don't rock 'n' roll l’homme", "dont rock  n  roll lhomme");
  assert_clean (&config, "a+b=c $5 ~x^ 100%", "a b c  5  x  100 ");
  /* Emoji stay: they carry meaning. */
  assert_clean (&config, "great👍!!", "great👍  ");

  config.collapse_whitespace = TRUE;
  assert_clean (&config, "Hello, world! (test)", "Hello world test");
  assert_clean (&config, "这家酒店，服务很好！！", "这家酒店 服务很好");
}

static void
test_digits (void)
{
  WlCleanConfig config = config_none ();

  assert_clean (&config, "call 0800 now ２０２４年", "call 0800 now ２０２４年");
  config.digits = WL_DIGITS_ZERO;
  assert_clean (&config, "call 0800 now ２０２４年 ٣", "call 0000 now 0000年 0");
  config.digits = WL_DIGITS_DROP;
  assert_clean (&config, "call 0800 now ２０２４年 a1b", "call  now 年 ab");
  config.nfkc = TRUE;
  config.digits = WL_DIGITS_ZERO;
  assert_clean (&config, "２０２４年 3.5", "0000年 0.0");
}

static void
test_whitespace (void)
{
  WlCleanConfig config = config_none ();

  assert_clean (&config, "  a \t b\n\nc  ", "  a \t b\n\nc  ");
  config.collapse_whitespace = TRUE;
  assert_clean (&config, "  a \t b\n\nc  ", "a b c");
  assert_clean (&config, "中\xE3\x80\x80文\xC2\xA0x\x01y", "中 文 x y");
  assert_clean (&config, " \t\n ", "");
  config.nfkc = TRUE;
  assert_clean (&config, "中\xE3\x80\x80文", "中 文");
}

static void
test_invalid_utf8 (void)
{
  WlCleanConfig config = config_none ();

  assert_clean (&config, "a\xFF" "b", "a\xEF\xBF\xBD" "b");
  config = config_all ();
  config.strip_punct = FALSE;  /* U+FFFD is a symbol */
  assert_clean (&config, "A\xC3" "B\xE4\xB8", "a\xEF\xBF\xBD" "b\xEF\xBF\xBD");
}

static void
test_defaults (void)
{
  WlCleanConfig config = config_all ();

  assert_clean (&config,
                "FREE entry!! Text WIN to 87121 or visit www.win.com, mail win@prize.co.uk &lt;#&gt;",
                "free entry text win to 87121 or visit " WL_CLEAN_LINK_WORD " mail");
  assert_clean (&config, "这家酒店的服务很好，房间２０１号也很干净！！http://t.cn/x",
                "这家酒店的服务很好 房间201号也很干净 " WL_CLEAN_LINK_WORD);
}

/* A text longer than one ICU piece is normalised all the same. */
static void
test_long_text (void)
{
  WlCleanConfig config = config_all ();
  GString *text = g_string_new (NULL);
  GString *expected = g_string_new (NULL);
  g_autoptr(WlCleanScratch) scratch = wl_clean_scratch_new ();
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < 300000; i++)
    {
      g_string_append (text, i % 1000 == 999 ? "ＡＢ\n" : "ＡＢ　");
      g_string_append (expected, "ab ");
    }
  g_string_truncate (expected, expected->len - 1);

  wl_clean_text_into (&config, text->str, (gssize) text->len, scratch, out);
  g_assert_cmpuint (out->len, ==, expected->len);
  g_assert_true (strcmp (out->str, expected->str) == 0);

  /* The scratch is reused: a short text after a long one. */
  wl_clean_text_into (&config, "Ｘ", -1, scratch, out);
  g_assert_cmpstr (out->str, ==, "x");

  /* An explicit length stops before the NUL. */
  wl_clean_text_into (&config, "Hello World", 5, scratch, out);
  g_assert_cmpstr (out->str, ==, "hello");

  g_string_free (text, TRUE);
  g_string_free (expected, TRUE);
  g_string_free (out, TRUE);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/clean/nothing", test_nothing);
  g_test_add_func ("/clean/nfkc-casefold", test_nfkc_casefold);
  g_test_add_func ("/clean/urls", test_urls);
  g_test_add_func ("/clean/link-word", test_link_word);
  g_test_add_func ("/clean/emails", test_emails);
  g_test_add_func ("/clean/html", test_html);
  g_test_add_func ("/clean/punct", test_punct);
  g_test_add_func ("/clean/digits", test_digits);
  g_test_add_func ("/clean/whitespace", test_whitespace);
  g_test_add_func ("/clean/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/clean/defaults", test_defaults);
  g_test_add_func ("/clean/long-text", test_long_text);

  return g_test_run ();
}
