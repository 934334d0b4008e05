"""Every command's ``--help`` says what it does and shows each option's default."""

import argparse

import pytest

from vae_augment.cli.parser import build_parser


def _commands() -> dict[str, argparse.ArgumentParser]:
    actions = build_parser()._actions
    (commands,) = [a for a in actions if isinstance(a, argparse._SubParsersAction)]
    return dict(commands.choices)


@pytest.mark.parametrize("name", list(_commands()))
def test_help_has_a_description_and_every_default(name):
    command = _commands()[name]
    assert command.description and command.description.strip()
    text = " ".join(command.format_help().split())  # as one line, whatever the width
    for action in command._actions:
        if action.default in (None, False, argparse.SUPPRESS):
            continue
        assert f"(default: {action.default})" in text, (name, action.dest)
    assert "default: None" not in text and "default: False" not in text


def test_fit_shows_the_estimators_defaults_as_typed():
    text = " ".join(_commands()["fit"].format_help().split())
    assert "(default: 128,128)" in text  # hidden_dims=(128, 128)
    assert "(default: 0.003)" in text and "(default: auto)" in text
