"""helpers.transfer.applications: the entry's applications and where to try each."""

from __future__ import annotations

from helpers.data import medmnist
from helpers.transfer import applications


def test_every_named_medmnist_set_is_in_the_manifest():
    flags = set(medmnist.known_flags(medmnist.load_manifest()))
    named = {a.medmnist for a in applications.with_medmnist()}
    assert named == {"dermamnist", "breastmnist", "retinamnist", "pneumoniamnist"}
    assert named <= flags


def test_conditions_without_a_2d_set_say_so():
    missing = {a.condition for a in applications.APPLICATIONS if a.medmnist is None}
    assert {"Alzheimer's disease", "glaucoma", "COVID-19"} <= missing
    table = applications.format_applications()
    assert table.count("— (none)") == len(missing)
    assert len(table.splitlines()) == len(applications.APPLICATIONS) + 2
