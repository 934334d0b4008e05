"""The ``vae-augment`` entry point: parse, run the command, report errors in one line.

A mistake on the command line or in the data ends with one line on stderr and a
non-zero exit code, not a traceback.
"""

from __future__ import annotations

import os
import sys
import warnings

from ..table.io import STANDARD_STREAM
from .arguments import PROG, UserError, one_line
from .parser import TABLE_INPUTS, build_parser

# Errors that mean "bad input", reported in one line. The library raises ValueError or
# TypeError with a message naming the column or parameter; files raise OSError; a
# request too large for memory, MemoryError.
_USER_ERRORS = (
    ValueError,
    TypeError,
    OSError,
    ImportError,
    FloatingPointError,
    MemoryError,
)
_EXIT_ERROR = 1
_EXIT_USAGE = 2
_EXIT_INTERRUPTED = 130


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    print(f"{PROG}: warning: {one_line(message)}", file=sys.stderr)


def _quiet_standard_output() -> None:
    """Point standard output at the null device once its reader has gone (``| head``),
    so that Python's last flush at exit does not fail again (Python's documented
    recipe for SIGPIPE)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no file descriptor (tests, notebooks)
        pass


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code.

    Parameters
    ----------
    argv : list of str, default=None
        The arguments (``sys.argv[1:]`` when None).

    Returns
    -------
    int
        0 on success, 1 for bad input or a failed step (one line on stderr), 2 for a
        wrong command line, 130 when interrupted.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    prog = f"{PROG} {args.command}"
    if [getattr(args, name, None) for name in TABLE_INPUTS].count(STANDARD_STREAM) > 1:
        print(
            f"{prog}: error: only one input can be - (standard input is read once) "
            f"(see {prog} --help)",
            file=sys.stderr,
        )
        return _EXIT_USAGE
    with warnings.catch_warnings():
        warnings.showwarning = _show_warning
        try:
            return args.run(args)
        except BrokenPipeError:
            # The reader of the table on standard output has stopped (| head): stop
            # too, quietly, as other command-line tools do.
            _quiet_standard_output()
        except UserError as error:
            print(f"{prog}: error: {error} (see {prog} --help)", file=sys.stderr)
        except _USER_ERRORS as error:
            print(f"{prog}: error: {one_line(error)}", file=sys.stderr)
        except KeyboardInterrupt:
            print(f"{prog}: interrupted", file=sys.stderr)
            return _EXIT_INTERRUPTED
    return _EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
