"""The ``cchc`` command line: thin wrappers that parse, call one function and print.

One module per group of commands (``intake``, ``scoring``, ``survey``, ``documents``, ``status``, ``demo``);
click in Vietnamese in :mod:`automation.cli.vi`; what the screen shows in :mod:`automation.present` (shared
with the demo).  :func:`main` is the one place where a failure becomes a Vietnamese line and an exit code,
never a traceback.  Heavy modules are imported inside the commands so ``cchc --help`` stays fast.
"""

from __future__ import annotations

import logging
import sys

import click

from automation.cli import demo, documents, intake, ledger, preview, scoring, status, survey, vi
from automation.present import render
from automation.problems import CchcError, Problem, problem


@click.group(cls=vi.Group, context_settings=vi.CONTEXT_SETTINGS)
@click.version_option(package_name="cchc", message="cchc %(version)s", help="Hiện phiên bản rồi thoát.")
@click.option("--verbose", "-v", is_flag=True, help="Ghi nhật ký chi tiết (cho kỹ thuật viên).")
@vi.help_option
def cli(verbose: bool) -> None:
    """cchc – thẩm định Chỉ số cải cách hành chính (Chỉ số CCHC) của các xã, thị trấn."""
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")


for _module in (intake, ledger, scoring, survey, documents, preview, status, demo):
    for _command in _module.COMMANDS:
        cli.add_command(_command)


def main(argv: list[str] | None = None) -> None:
    """Entry point: every failure becomes a Vietnamese message with its problem code, never a traceback.

    A :class:`~automation.problems.CchcError` carries its problem (a mail that could not be sent is a
    ``MailError``: ``mail.timeout``, ``mail.tls``…); any other exception carrying a ``problem`` is shown as well.
    """
    sys.unraisablehook = _log_unraisable
    try:
        rv = cli.main(args=argv, prog_name="cchc", standalone_mode=False)
    except CchcError as exc:
        _fail(exc.problem, exc.exit_code)
    except click.exceptions.Abort:
        click.echo("Đã dừng.", err=True)
        sys.exit(1)
    except click.exceptions.NoArgsIsHelpError as exc:  # "cchc survey": the group's help, as click shows it
        click.echo(exc.format_message(), err=True)
        sys.exit(2)
    except click.ClickException as exc:
        _fail(*vi.click_problem(exc))
    except KeyboardInterrupt:
        click.echo("Đã dừng.", err=True)
        sys.exit(130)
    except Exception as exc:  # a bug or an environment failure: a Vietnamese line, the traceback only in the log
        logging.getLogger("automation").debug("failure", exc_info=True)  # shown with -v
        carried = getattr(exc, "problem", None)
        if isinstance(carried, Problem):
            _fail(carried, 1)
        from automation.storage import problem_of  # noqa: PLC0415
        stored = problem_of(exc)  # a full disk, a read-only folder, a damaged ledger
        if stored is not None:
            _fail(stored, 1)
        _fail(problem("internal.error", detail=f"{type(exc).__name__}: {exc}"), 1)
    sys.exit(rv if isinstance(rv, int) else 0)


def _log_unraisable(u) -> None:
    """An error in a destructor (a zip file left open by a write a full disk cut short fails again when
    collected): into the log (shown with -v), not a traceback on the screen."""
    logging.getLogger("automation").debug("ignored in %r: %s", u.object, u.exc_value,
                                          exc_info=(u.exc_type, u.exc_value, u.exc_traceback))


def _fail(p: Problem, code: int) -> None:
    click.echo(render(p, "error"), err=True)
    sys.exit(code)
