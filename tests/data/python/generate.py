#!/usr/bin/python3
"""Writes the expected outputs of the Python front-end reference tests from CPython itself.

Retort follows the Python the project's Alembic runs on, so every expected output is written
per version X.Y, by that version's interpreter. Run it with each and check the outputs in:
    /root/.pyenv/versions/3.11.7/bin/python3 tests/data/python/generate.py   # 3.11
    /usr/bin/python3 tests/data/python/generate.py                           # 3.13 (Debian 13)

valid/*.py     inputs (checked in by hand)  -> valid/<name>.X.Y.tokens (Lib/tokenize.py)
                                               valid/<name>.X.Y.ast    (ast.parse, dumped below)
                                               or valid/<name>.X.Y.error when X.Y's parser refuses
                                               the file (a PEP 701 f-string on 3.11: compile()'s
                                               error, written as in errors/)
errors/*.py    inputs (written from CASES)  -> errors/expected-X.Y.txt (compile(): type, message, line, offset)

The dump format is the one SyntaxTree::dump() writes: one node a line, `.field Kind
@line:col-endline:endcol` and the node's scalar fields; positions inside f-strings are left
out, and of a JoinedStr only the FormattedValue parts are listed.
"""
import ast
import io
import os
import sys
import tokenize

HERE = os.path.dirname(os.path.abspath(__file__))


def esc(s):
    out = []
    for ch in s:
        c = ord(ch)
        if ch == '\\':
            out.append('\\\\')
        elif ch == '\n':
            out.append('\\n')
        elif ch == '\t':
            out.append('\\t')
        elif ch == '\r':
            out.append('\\r')
        elif c < 0x20 or 0x7f <= c < 0xa0:
            out.append('\\x%02x' % c)
        elif c > 0xffff:
            out.append('\\U%08x' % c)
        elif c > 0x7e:
            out.append('\\u%04x' % c)
        else:
            out.append(ch)
    return "'" + ''.join(out) + "'"


def const(v):
    if v is None or v is True or v is False:
        return repr(v)
    if v is Ellipsis:
        return 'Ellipsis'
    if isinstance(v, int):
        return 'i:big' if abs(v) > 0x7fffffffffffffff else 'i:%d' % v
    if isinstance(v, float):
        return 'f:%.17g' % v
    if isinstance(v, complex):
        return 'j:%.17g' % v.imag
    if isinstance(v, str):
        return esc(v)
    if isinstance(v, bytes):
        return 'b:' + v.hex()
    raise TypeError(v)


OPS = (ast.operator, ast.unaryop, ast.boolop, ast.cmpop)


def dump(node, out, depth=0, field=None, in_f=False):
    prefix = '  ' * depth + ('.' + field + ' ' if field else '')
    if node is None:
        out.append(prefix + 'None')
        return
    line = prefix + type(node).__name__
    if hasattr(node, 'lineno') and not in_f:
        line += ' @%d:%d-%d:%d' % (node.lineno, node.col_offset, node.end_lineno, node.end_col_offset)
    prims = []
    children = []
    for f in node._fields:
        v = getattr(node, f)
        if f in ('ctx', 'type_comment', 'type_ignores'):
            continue
        if isinstance(node, (ast.Constant, ast.MatchSingleton)) and f == 'value':
            prims.append('value=' + const(v))
        elif isinstance(v, OPS):
            prims.append('%s=%s' % (f, type(v).__name__))
        elif isinstance(v, list) and v and isinstance(v[0], OPS):
            prims.append('%s=[%s]' % (f, ', '.join(type(o).__name__ for o in v)))
        elif isinstance(v, list) and v and isinstance(v[0], str):
            prims.append('%s=[%s]' % (f, ', '.join(esc(s) for s in v)))
        elif isinstance(v, str):
            prims.append('%s=%s' % (f, esc(v)))
        elif v is None:
            continue
        elif isinstance(v, int):
            prims.append('%s=%d' % (f, v))
        elif isinstance(v, ast.AST):
            children.append((f, v))
        elif isinstance(v, list):
            for item in v:
                if isinstance(node, ast.JoinedStr) and isinstance(item, ast.Constant):
                    continue
                children.append((f, item))
    if prims:
        line += ' ' + ' '.join(prims)
    out.append(line)
    inner = in_f or isinstance(node, ast.JoinedStr)
    for f, child in children:
        dump(child, out, depth + 1, f, inner)


def tokens(data):
    # The compiler sees universal newlines (CRLF and CR are LF); tokenize.py would not.
    data = data.replace(b'\r\n', b'\n').replace(b'\r', b'\n')
    out = []
    for tok in tokenize.tokenize(io.BytesIO(data).readline):
        if tok.type == tokenize.ENCODING:
            continue
        name = tokenize.tok_name[tok.type]
        text = tok.string.replace('\r\n', '\n').replace('\r', '\n')
        out.append('%s %s %d:%d-%d:%d' % (name, esc(text), tok.start[0], tok.start[1], tok.end[0], tok.end[1]))
    return out


# Error cases: (file name, source). Each is compiled as Alembic's import would compile it.
CASES = [
    ('nesting_200', b'x = ' + b'(' * 200 + b'1' + b')' * 200 + b'\n'),
    ('nesting_201', b'x = ' + b'(' * 201 + b'1' + b')' * 201 + b'\n'),
    ('nesting_revision', b'revision = "a1"\ndown_revision = ' + b'(' * 5000 + b'"a0"' + b')' * 5000 + b'\n'),
    ('nesting_list_dict', b'x = [{' * 101 + b'}]' * 101 + b'\n'),
    ('def_colon_param', b'def upgrade(:):\n    pass\n'),
    # errors at the end marker: CPython places them on the last physical line, one past its end
    ('eof_block_no_newline', b'def f():\n    with a:'),
    ('eof_block_newline', b'if x:\n'),
    ('eof_block_blank_lines', b'if x:\n\n\n'),
    ('eof_block_comment', b'if x:\n  \n# c\n'),
    ('eof_block_inline_comment', b'if x:  # c'),
    ('def_missing_colon', b'def f()\n    pass\n'),
    ('def_missing_paren', b'def f:\n    pass\n'),
    ('def_no_block', b'def upgrade():\npass\n'),
    ('if_no_block', b'if x:\n\ny = 1\n'),
    ('class_no_colon', b'class A\n    pass\n'),
    ('if_no_colon', b'if x\n    pass\n'),
    ('while_no_colon', b'while x\n    pass\n'),
    ('for_no_colon', b'for x in y\n    pass\n'),
    ('try_no_colon', b'try\n    pass\n'),
    ('try_alone', b'try:\n    pass\nx = 1\n'),
    ('unterminated', b'x = "abc\n'),
    ('unterminated_triple', b'"""doc\n\nrevision = "a"\n'),
    ('unterminated_continued', b"x = 1\ny = 'ab\\\ncd\n"),
    ('never_closed', b'x = (1,\ny = 2\n'),
    ('never_closed_eof', b'op.add_column("t",\n'),
    ('unmatched', b'x = )\n'),
    ('mismatch', b'x = [1, 2)\n'),
    ('mismatch_lines', b'x = (\n\n]\n'),
    ('invalid_decimal', b'x = 1abc\n'),
    ('leading_zeros', b'x = 0123\n'),
    ('bad_hex', b'x = 0x\n'),
    ('bad_octal', b'x = 0o8\n'),
    ('bad_binary', b'x = 0b12\n'),
    ('bad_underscore', b'x = 1__0\n'),
    ('unindent', b'if x:\n    a\n  b\n'),
    ('unexpected_indent', b'a = 1\n    b = 2\n'),
    ('unexpected_indent_body', b'def f():\n  a\n    b\n'),
    ('tab_error', b'if x:\n\tif y:\n        pass\n'),
    ('line_continuation', b'x = 1\ny = 2 \\ z\n'),
    ('backslash_eof', b'x = 1 \\'),
    ('invalid_char', b'x = \xe2\x82\xac\n'),
    ('invalid_char_in_name', b'x = a\xe2\x82\xacb\n'),
    ('nonprintable', b'x = \xc2\xa0\n'),
    ('control_char', b'x = \x01\n'),
    ('two_names', b'a b\n'),
    ('forgot_comma', b'f(a b)\n'),
    ('forgot_comma_list', b'x = [1,\n2 3]\n'),
    ('dollar', b'x = $\n'),
    ('question', b'x = ?\n'),
    ('trailing_plus', b'x = 1 +\n'),
    ('assign_call', b'f() = 1\n'),
    ('assign_literal', b'1 = x\n'),
    ('del_call', b'del f()\n'),
    ('aug_call', b'f() += 1\n'),
    ('for_target', b'for f() in x:\n    pass\n'),
    ('kw_then_positional', b'f(a=1, b)\n'),
    ('default_then_plain', b'def f(a=1, b):\n    pass\n'),
    ('return_outside', b'return 1\n'),
    ('yield_outside', b'x = yield 1\n'),
    # the compiler's check of a call's (and a class's) keywords, before its arguments
    ('keyword_repeated', b'x = 1\nf(a=1,  a=2)\n'),
    ('keyword_repeated_in_body', b'def upgrade():\n    op.add_column("t", sa.Column("c", nullable=True, nullable=False))\n'),
    ('keyword_repeated_after_star', b'def g():\n    f(b, a=1, **k, a=2)\n'),
    ('keyword_repeated_class', b'class C(a=1, a=2): pass\n'),
    ('keyword_repeated_before_return', b'f(a=1, a=2)\nreturn 3\n'),
    ('return_before_keyword_repeated', b'return 3\nf(a=1, a=2)\n'),
    ('break_outside', b'break\n'),
    ('continue_outside', b'def f():\n    continue\n'),
    ('print_statement', b'print "hello"\n'),
    ('if_expr_no_else', b'x = (a if b)\n'),
    ('mix_bytes', b'x = b"a" "b"\n'),
    ('bytes_non_ascii', b'x = b"\xc3\xa9"\n'),
    ('truncated_x', b'x = "\\x1"\n'),
    ('fstring_single_brace', b'x = f"a}b"\n'),
    ('fstring_empty', b'x = f"{}"\n'),
    ('fstring_backslash', b'x = f"{a\\n}"\n'),
    ('fstring_bad_conversion', b'x = f"{a!x}"\n'),
    ('fstring_syntax', b'x = f"{a b}"\n'),
    ('tokenizer_after_parser', b'def upgrade(:):\n    x = "abc\n'),
    ('indent_then_string', b'    x = 1\ny = "a\n'),
    ('error_late', b'"""doc"""\nrevision = "a"\ndown_revision = None\n\n\ndef upgrade():\n    op.add_column("t", sa.Column("c", sa.Integer())\n\n\ndef downgrade():\n    pass\n'),
    ('unknown_encoding', b'# -*- coding: nosuch -*-\nx = 1\n'),
    ('bom_latin1', b'\xef\xbb\xbf# coding: latin-1\nx = 1\n'),
    ('bad_utf8', b'x = 1\n\n\n# c\n\xff\n'),
    ('nul_byte', b'x = 1\n# \x00\n'),
    ('nul_before_bom_cookie', b'\xef\xbb\xbf# coding: latin-1\n\x00\n'),
    ('nul_before_bad_utf8', b'x = "\xff"\n\x00'),
    ('ok_bad_utf8_in_comment', b'# caf\xe9\nx = 1  # \xff\xfe\n"#"  # \xc3\n'),
    ('ok_bad_utf8_in_comment_in_brackets', b'x = [1,\n # \xe9\n 2]\n'),
    ('bad_utf8_after_comment', b'# \xe9\nx = 1\n\xff\n'),
    ('bad_utf8_hash_in_string', b'x = "#"\n\xff\n'),
    ('lambda_chain', b'x = ' + b'lambda: ' * 150 + b'1\n'),
    ('unary_chain', b'x = ' + b'-' * 1000 + b'1\n'),
    ('not_chain', b'x = ' + b'not ' * 1000 + b'1\n'),
    ('match_ok', b'match x:\n    case [1, *rest] if rest:\n        pass\n    case {"k": v, **kw}:\n        pass\n    case Point(x=0) | None:\n        pass\n'),
    ('match_as_name', b'match = 1\nmatch.x = 2\nprint(match)\n'),
    ('walrus_bad', b'x = (a.b := 1)\n'),
    ('star_alone', b'*a\n'),
    ('annotated_tuple', b'a, b: int = 1, 2\n'),
    ('import_trailing_comma', b'from a import b,\n'),
    ('except_no_colon', b'try:\n    pass\nexcept ValueError\n    pass\n'),
    ('else_no_colon', b'if x:\n    pass\nelse\n    pass\n'),
    ('missing_else_block', b'if x:\n    pass\nelse:\nx = 1\n'),
    ('async_bad', b'async x = 1\n'),
    ('generator_unparenthesised', b'f(x for x in y, 1)\n'),
    ('generator_unparenthesised_after', b'f((a for a in b), x for x in y)\n'),
    ('generator_unparenthesised_comma', b'f(x for x in y, )\n'),
    ('ok_crlf', b'"""doc\r\n\r\nmore\\tx"""\r\nrevision = "a"\r\n'),
    ('ok_cr', b'revision = "a"\rdown_revision = None\r'),
    ('ok_latin1', b'# -*- coding: latin-1 -*-\nrevision = "caf\xe9"\n'),
    # f-strings: 3.11 reads the field from the string's text, 3.12+ (PEP 701) tokenizes it
    ('fstring_newline_in_field', b'x = f"{x\n}"\n'),
    ('fstring_unterminated', b'x = f"abc\n'),
    ('fstring_unterminated_triple', b'x = f"""abc\n'),
    ('fstring_comment_in_field', b'x = f"{a # c\n}"\n'),
    ('fstring_comment_eats_brace', b'x = f"{a # c}"\n'),
    ('fstring_backslash_in_field', b'x = f"{"\\n".join(a)}"\n'),
    ('fstring_same_quotes', b'x = f"{"a"}"\n'),
    ('fstring_missing_conversion', b'x = f"{x!}"\n'),
    ('fstring_conversion_unclosed', b'x = f"{x!r"\n'),
    ('fstring_field_unclosed', b'x = f"{x"\n'),
    ('fstring_brace_unclosed', b'x = f"{"\n'),
    ('fstring_spec_nesting_2', b'x = f"{x:{y:{z}}}"\n'),
    ('fstring_spec_nesting_3', b'x = f"{x:{y:{z:{w}}}}"\n'),
    ('fstring_lambda', b'x = f"{lambda x: 1}"\n'),
    ('fstring_starred', b'x = f"{*a}"\n'),
    ('fstring_debug_after_conversion', b'x = f"{x!r=}"\n'),
    ('fstring_conversion_space', b'x = f"{x!r }"\n'),
    ('fstring_no_expression_bang', b'x = f"{!r}"\n'),
    ('fstring_walrus_spec', b'x = f"{a:=1}"\n'),
    ('fstring_nested_150', b'x = ' + b'f"{' * 150 + b'1' + b'}"' * 150 + b'\n'),
    ('fstring_nested_151', b'x = ' + b'f"{' * 151 + b'1' + b'}"' * 151 + b'\n'),
    ('fstring_in_revision', b'revision = "a"\ndown_revision = None\nx = f"{", ".join(["a"])}"\n'),
    ('fstring_bad_escape_ok', b'x = f"\\q{1}"\n'),
    ('invalid_escape_ok', b'x = "\\q"\n'),
    ('null_byte', b'x = 1\x00\n'),
    # PEP 695 / 696
    ('type_params_def', b'def f[T](x: T): pass\n'),
    ('type_alias', b'type X = int\n'),
    ('type_param_default', b'class A[T: int = str]: pass\n'),
    ('type_param_default_order', b'def f[T = int, U](): pass\n'),
    ('type_params_empty', b'def f[](): pass\n'),
    ('type_alias_no_value', b'type X\n'),
    ('ok_numbers_keywords', b'x = 1if 1else 2\ny = 0_0 + 09.5 + 00 + 0e1 + 1.e5j\n'),
]


def compiled(name, source):
    """What `import` of the file reports: OK, or the error's type, message, line and offset."""
    try:
        compile(source, name + '.py', 'exec', dont_inherit=True)
        return '%s\tOK' % name
    except SyntaxError as e:
        return '%s\t%s\t%s\t%s\t%s' % (name, type(e).__name__, e.msg, e.lineno or 0, e.offset if e.offset is not None else 0)
    except (MemoryError, ValueError, RecursionError) as e:
        return '%s\t%s\t%s\t0\t0' % (name, type(e).__name__, e)


def write(path, lines):
    with open(path, 'w') as f:
        f.write('\n'.join(lines) + '\n')


def main():
    version = '%d.%d' % sys.version_info[:2]
    valid = os.path.join(HERE, 'valid')
    for name in sorted(os.listdir(valid)):
        if not name.endswith('.py'):
            continue
        path = os.path.join(valid, name)
        data = open(path, 'rb').read()
        base = path[:-3] + '.' + version
        for old in ('.tokens', '.ast', '.error'):
            if os.path.exists(base + old):
                os.remove(base + old)
        try:
            tree = ast.parse(data)
        except SyntaxError:
            write(base + '.error', [compiled(name[:-3], data)])
            continue
        write(base + '.tokens', tokens(data))
        out = []
        dump(tree, out)
        write(base + '.ast', out)
    errors = os.path.join(HERE, 'errors')
    lines = []
    for name, source in CASES:
        with open(os.path.join(errors, name + '.py'), 'wb') as f:
            f.write(source)
        lines.append(compiled(name, source))
    write(os.path.join(errors, 'expected-%s.txt' % version), lines)


if __name__ == '__main__':
    import warnings
    warnings.simplefilter('ignore')
    sys.setrecursionlimit(10000)
    main()
