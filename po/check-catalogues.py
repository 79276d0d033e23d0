#!/usr/bin/env python3
# check-catalogues.py: fails while a translation catalogue in po/ is not complete.
#
# It extracts the messages of the source tree afresh, exactly as
# `ninja wordloom-pot` does (meson's "glib" xgettext preset, files from
# POTFILES.in), merges every catalogue named in LINGUAS with them, and fails
# listing each message that is untranslated, fuzzy or whose format does not
# match.  It also fails for a source file with translatable strings that
# POTFILES.in does not list, and for a message xgettext cuts short (a
# G_*_FORMAT macro inside _() makes a msgid that gettext can never find at
# run time; PRIu64 and the other <inttypes.h> macros are fine).  The catalogues in po/ are only read, never written.
#
#   check-catalogues.py --srcdir SOURCE_ROOT [--xgettext X --msgmerge M --msgfmt F]

import argparse
import os
import re
import subprocess
import sys
import tempfile

PACKAGE = 'wordloom'

# meson's i18n.gettext(preset: 'glib') (mesonbuild/modules/i18n.py, PRESET_ARGS)
# plus the -k_ and --package-name it always adds (mesonbuild/scripts/gettext.py).
XGETTEXT_ARGS = [
    '--package-name=' + PACKAGE,
    '-k_',
    '--from-code=UTF-8',
    '--add-comments',
    '--keyword=_',
    '--keyword=N_',
    '--keyword=C_:1c,2',
    '--keyword=NC_:1c,2',
    '--keyword=g_dcgettext:2',
    '--keyword=g_dngettext:2,3',
    '--keyword=g_dpgettext2:2c,3',
    '--flag=N_:1:pass-c-format',
    '--flag=C_:2:pass-c-format',
    '--flag=NC_:2:pass-c-format',
    '--flag=g_dngettext:2:pass-c-format',
    '--flag=g_strdup_printf:1:c-format',
    '--flag=g_string_printf:2:c-format',
    '--flag=g_string_append_printf:2:c-format',
    '--flag=g_error_new:3:c-format',
    '--flag=g_set_error:4:c-format',
    '--flag=g_markup_printf_escaped:1:c-format',
    '--flag=g_log:3:c-format',
    '--flag=g_print:1:c-format',
    '--flag=g_printerr:1:c-format',
    '--flag=g_printf:1:c-format',
    '--flag=g_fprintf:2:c-format',
    '--flag=g_sprintf:2:c-format',
    '--flag=g_snprintf:3:c-format',
]

# Where translatable strings live, and how to spot them.
SOURCE_DIRS = ['app', 'engine', 'ui', 'data']
C_MARK = re.compile(r'(?<![A-Za-z0-9_])(?:_|N_|C_|NC_|g_dngettext|g_dpgettext2|g_dcgettext)\s*\(\s*"')
UI_MARK = re.compile(r'translatable="yes"')
DATA_SUFFIXES = ('.desktop.in', '.metainfo.xml.in', '.gschema.xml')
# A message that ends in a conversion's flags, width or precision: the rest
# of the format was a macro that xgettext could not see.
CUT_DIRECTIVE = re.compile(r"(?<!%)(?:%%)*%[-+ #0']*(?:\*|[0-9]+)?(?:\.(?:\*|[0-9]+))?$")


def read_list(path):
    with open(path, encoding='utf-8') as f:
        return [line.strip() for line in f
                if line.strip() and not line.lstrip().startswith('#')]


def marked_sources(srcdir):
    """Source files that hold translatable strings, relative to srcdir."""
    found = []
    for top in SOURCE_DIRS:
        for root, dirs, files in os.walk(os.path.join(srcdir, top)):
            dirs[:] = sorted(d for d in dirs if not d.startswith('.'))
            for name in sorted(files):
                path = os.path.join(root, name)
                rel = os.path.relpath(path, srcdir)
                if name.endswith('.c'):
                    pattern = C_MARK
                elif name.endswith('.ui'):
                    pattern = UI_MARK
                elif name.endswith(DATA_SUFFIXES):
                    found.append(rel)
                    continue
                else:
                    continue
                with open(path, encoding='utf-8', errors='replace') as f:
                    if pattern.search(f.read()):
                        found.append(rel)
    return found


class Entry:
    def __init__(self, line):
        self.line = line
        self.comments = []
        self.fields = {}
        self.current = None


def unquote(s):
    s = s.strip()[1:-1]
    return re.sub(r'\\(.)', lambda m: {'n': '\n', 't': '\t'}.get(m.group(1), m.group(1)), s)


def parse_po(path):
    """The entries of a PO file as Entry objects (obsolete ones left out)."""
    entries, cur = [], None
    with open(path, encoding='utf-8') as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip('\n')
            if not line.strip():
                if cur is not None:
                    entries.append(cur)
                cur = None
                continue
            if cur is None:
                cur = Entry(number)
            if line.startswith('#~'):
                cur.fields['obsolete'] = True
            elif line.startswith('#'):
                cur.comments.append(line)
            elif line.startswith('"'):
                cur.fields[cur.current] += unquote(line)
            else:
                keyword, _, value = line.partition(' ')
                cur.current = keyword
                cur.fields[keyword] = unquote(value)
    if cur is not None:
        entries.append(cur)
    return [e for e in entries if 'obsolete' not in e.fields and e.fields.get('msgid')]


def describe(entry):
    refs = ' '.join(c[3:] for c in entry.comments if c.startswith('#:'))
    ctx = entry.fields.get('msgctxt')
    text = entry.fields['msgid'].replace('\n', '\\n')
    return '  %s%s\n    (%s)' % ('[%s] ' % ctx if ctx is not None else '', text, refs or 'no reference')


def format_errors(stderr, path, entries):
    """msgfmt's complaints about @path, each with the message it is about."""
    lines = []
    for line in stderr.splitlines():
        if not line.startswith(path + ':'):
            continue
        number, _, complaint = line[len(path) + 1:].partition(':')
        if not number.isdigit():
            continue
        at = [e for e in entries if e.line <= int(number)]
        lines.append('%s\n%s' % (complaint.strip(), describe(at[-1]) if at else ''))
    return '\n'.join(lines) if lines else stderr


def source_order(ref):
    path, _, line = ref.rpartition(':')
    return (path, int(line)) if line.isdigit() else (ref, 0)


def run(cmd, **kwargs):
    return subprocess.run(cmd, capture_output=True, text=True, **kwargs)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--srcdir', required=True, help='the source root')
    parser.add_argument('--xgettext', default='xgettext')
    parser.add_argument('--msgmerge', default='msgmerge')
    parser.add_argument('--msgfmt', default='msgfmt')
    args = parser.parse_args()

    srcdir = os.path.abspath(args.srcdir)
    podir = os.path.join(srcdir, 'po')
    problems = []

    listed = read_list(os.path.join(podir, 'POTFILES.in'))
    missing_files = [f for f in listed if not os.path.exists(os.path.join(srcdir, f))]
    unlisted = [f for f in marked_sources(srcdir) if f not in listed]
    if missing_files:
        problems.append('po/POTFILES.in lists files that do not exist:\n' +
                        '\n'.join('  ' + f for f in missing_files))
    if unlisted:
        problems.append('these files have translatable strings but po/POTFILES.in does not list '
                        'them; add them:\n' + '\n'.join('  ' + f for f in unlisted))

    with tempfile.TemporaryDirectory(prefix='wl-po-') as tmp:
        pot = os.path.join(tmp, PACKAGE + '.pot')
        existing = [f for f in listed if f not in missing_files]
        potfiles = os.path.join(tmp, 'POTFILES')
        with open(potfiles, 'w', encoding='utf-8') as f:
            f.write('\n'.join(existing) + '\n')
        xgettext = run([args.xgettext] + XGETTEXT_ARGS +
                       ['-f', potfiles, '-D', srcdir, '-o', pot])
        if xgettext.returncode != 0:
            print(xgettext.stderr, file=sys.stderr)
            print('xgettext failed', file=sys.stderr)
            return 1
        # xgettext warns about a cut format string only where it knows the
        # message is one (not for ngettext results passed on), so look at the
        # messages themselves too: one that ends inside a directive was cut.
        pot_entries = parse_po(pot)
        cut = set(line.split(': warning')[0] for line in xgettext.stderr.splitlines()
                  if 'ends in the middle of a directive' in line)
        for e in pot_entries:
            if any(CUT_DIRECTIVE.search(e.fields.get(k) or '') for k in ('msgid', 'msgid_plural')):
                cut.update(ref for c in e.comments if c.startswith('#:') for ref in c[3:].split())
        if cut:
            problems.append(
                'xgettext cuts these messages short: a macro such as G_GUINT64_FORMAT or '
                'G_GSIZE_FORMAT inside _() is not part of the msgid, so the message can never be '
                'translated.  Use a conversion gettext knows instead: %zu for gsize, PRIu64 or '
                'PRId64 from <inttypes.h> for guint64 and gint64, or format the number first and '
                'pass it as %s:\n' +
                '\n'.join('  ' + ref for ref in sorted(cut, key=source_order)))

        n_messages = len(pot_entries)
        for lang in read_list(os.path.join(podir, 'LINGUAS')):
            merged = os.path.join(tmp, lang + '.po')
            merge = run([args.msgmerge, '--quiet', '--output-file=' + merged,
                         os.path.join(podir, lang + '.po'), pot])
            if merge.returncode != 0:
                problems.append('po/%s.po: msgmerge failed:\n%s' % (lang, merge.stderr))
                continue
            entries = parse_po(merged)
            untranslated = [e for e in entries
                            if not any(v for k, v in e.fields.items() if k.startswith('msgstr'))]
            fuzzy = [e for e in entries
                     if any(c.startswith('#,') and 'fuzzy' in c for c in e.comments)]
            if untranslated:
                problems.append('po/%s.po: %d untranslated message(s):\n%s' %
                                (lang, len(untranslated), '\n'.join(map(describe, untranslated))))
            if fuzzy:
                problems.append('po/%s.po: %d fuzzy message(s) (the source changed; check the '
                                'translation and remove the fuzzy flag):\n%s' %
                                (lang, len(fuzzy), '\n'.join(map(describe, fuzzy))))
            check = run([args.msgfmt, '--check', '-o', os.devnull, merged])
            if check.returncode != 0:
                problems.append('po/%s.po: msgfmt --check fails:\n%s' %
                                (lang, format_errors(check.stderr, merged, entries)))
            print('%s: %d of %d messages translated' %
                  (lang, len(entries) - len(untranslated) - len(fuzzy), n_messages))

    if problems:
        print('\n\n'.join(problems), file=sys.stderr)
        print('\nRegenerate the template and merge it: ninja -C BUILD wordloom-pot '
              'wordloom-update-po; then translate in po/*.po.', file=sys.stderr)
        return 1
    print('all catalogues complete')
    return 0


if __name__ == '__main__':
    sys.exit(main())
