/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-stopwords.c: built-in stopword lists (data) and reading stopword files. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "wl-error.h"
#include "text/wl-stopwords.h"

/* The usual English list (as in NLTK). */
static const char english[] =
  "i me my myself we our ours ourselves you you're you've you'll you'd "
  "your yours yourself yourselves he him his himself she she's her hers "
  "herself it it's its itself they them their theirs themselves what which "
  "who whom this that that'll these those am is are was were be been being "
  "have has had having do does did doing a an the and but if or because as "
  "until while of at by for with about against between into through during "
  "before after above below to from up down in out on off over under again "
  "further then once here there when where why how all any both each few "
  "more most other some such no nor not only own same so than too very s t "
  "can will just don don't should should've now d ll m o re ve y ain aren "
  "aren't couldn couldn't didn didn't doesn doesn't hadn hadn't hasn hasn't "
  "haven haven't isn isn't ma mightn mightn't mustn mustn't needn needn't "
  "shan shan't shouldn shouldn't wasn wasn't weren weren't won won't wouldn "
  "wouldn't";

/* Common Chinese function words: particles, pronouns, conjunctions,
 * prepositions, adverbs of degree and time, measure words.  Negations are
 * left out on purpose: "不好" and "好" must stay apart. */
static const char chinese[] =
  "的 地 得 了 着 过 之 者 所 其 此 是 在 有 和 与 及 或 而 并 且 则 即 "
  "就 都 也 又 还 再 才 却 只 便 将 把 被 让 给 对 向 往 从 自 由 以 用 "
  "于 为 按 跟 同 比 到 等 个 些 种 样 么 吗 呢 吧 啊 呀 哦 嗯 嘛 啦 哇 "
  "哎 唉 喔 呵 嘿 哈 哼 咦 嘻 噢 喂 罢 嘞 呗 咯 "
  "我 你 您 他 她 它 我们 你们 您们 他们 她们 它们 咱 咱们 自己 大家 "
  "人家 别人 本人 各位 诸位 彼此 "
  "这 那 哪 这个 那个 哪个 这些 那些 哪些 这里 那里 哪里 这儿 那儿 "
  "哪儿 这样 那样 怎样 这么 那么 怎么 这种 那种 这般 那般 如此 "
  "什么 为什么 怎么样 怎么办 多少 几 谁 啥 如何 何 何时 何处 "
  "一个 一些 一种 一样 一般 一切 一直 一下 一点 一边 一面 一旦 一起 "
  "每 各 某 本 该 另 其他 其它 其中 其余 其实 另外 此外 "
  "以及 以便 以免 以后 以前 以来 以上 以下 之后 之前 之间 之一 "
  "然后 然而 于是 因此 因为 所以 如果 假如 要是 虽然 虽说 尽管 可是 "
  "但 但是 不过 只是 只要 只有 除了 除非 由于 为了 而且 并且 而是 "
  "或者 还是 要么 即使 即便 就是 既然 无论 不管 总之 总的来说 "
  "对于 关于 至于 根据 按照 通过 经过 随着 沿着 作为 "
  "已经 曾经 正在 将要 刚才 刚刚 现在 当时 当然 的话 等等 "
  "可以 可能 应该 应当 能够 需要 "
  "很 太 挺 真 最 更 越 越来越 非常 十分 特别 比较 相当 有点 有些 "
  "稍微 极其 格外 尤其 甚至 几乎 大约 差不多 "
  "都是 也是 还有 又是 这是 那是 这就是 就是说 也就是说 "
  "啊呀 哎呀 哎哟 嗯嗯 哈哈 呵呵 "
  "等于 似的 而已 罢了 "
  "之类 某些 某个 有的 有关 相关 以至 以至于 从而 进而 可见 "
  "例如 比如 譬如 好像 似乎 仿佛 据说 看来 "
  "首先 其次 最后 接着 同时 一方面 另一方面 总而言之 "
  "曾 已 正 刚 总 向来 从来 始终 仍 仍然 依然 "
  "件 次 位 条 种种 各种 各个 每个 "
  "呃 喽 哟 咧 哩 呐 兮 乎 矣 焉 哉 也罢";

static const char *const languages[] = { "en", "zh", NULL };

const char * const *
wl_stopwords_languages (void)
{
  return languages;
}

char **
wl_stopwords_builtin (const char *lang)
{
  const char *words;

  g_return_val_if_fail (lang != NULL, NULL);

  if (g_str_equal (lang, "en"))
    words = english;
  else if (g_str_equal (lang, "zh"))
    words = chinese;
  else
    return NULL;

  return g_strsplit_set (words, " ", -1);
}

char **
wl_stopwords_read_file (const char  *path,
                        GError     **error)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) local = NULL;
  GPtrArray *words;
  gsize len;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_file_get_contents (path, &contents, &len, &local))
    {
      g_set_error (error, WL_ERROR, WL_ERROR_IO,
                   _("Cannot read the stopword file: %s"), local->message);
      return NULL;
    }
  if (!g_utf8_validate_len (contents, len, NULL))
    {
      g_set_error (error, WL_ERROR, WL_ERROR_PARSE,
                   _("%s: the stopword file is not UTF-8 text; save it as UTF-8"),
                   path);
      return NULL;
    }

  words = g_ptr_array_new ();
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *word = g_strstrip (lines[i]);

      if (*word != '\0' && *word != '#')
        g_ptr_array_add (words, g_strdup (word));
    }
  g_ptr_array_add (words, NULL);

  return (char **) g_ptr_array_free (words, FALSE);
}
