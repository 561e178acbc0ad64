"""The entry's list of medical applications of CNNs as a table, with the MedMNIST v2 data set a
learner can try each on (lesson 08, ``notebooks/08_transfer_learning.ipynb``).

The entry (Salehi et al., §3) names Alzheimer's disease on MRI, skin conditions, breast cancer,
diabetic retinopathy, corneal diseases, glaucoma and COVID-19, and the course itself is built on
pneumonia. MedMNIST v2 (Yang et al. 2023) has 2D sets for some of them; where it has none,
the table says so.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Application:
    """One row of :data:`APPLICATIONS`."""

    condition: str
    modality: str
    task: str
    medmnist: str | None  #: the MedMNIST v2 flag to try it on, or None (no 2D set)
    note: str
    source: str  #: the study the entry cites for it


APPLICATIONS: tuple[Application, ...] = (
    Application("Alzheimer's disease", "brain MRI", "dementia vs. normal (stages)", None,
                "no MedMNIST 2D set (OrganMNIST3D holds organs, not dementia)",
                "Jain et al. 2019"),
    Application("skin conditions", "dermatoscope photographs (colour)",
                "7 kinds of pigmented lesion", "dermamnist",
                "HAM10000 images; the entry's study used clinical photographs",
                "Wu et al. (PMC7290553)"),
    Application("breast cancer", "ultrasound (MedMNIST) / histopathology (entry)",
                "malignant vs. normal or benign", "breastmnist",
                "class 0 is malignant: choose the positive class on purpose",
                "IEEE Healthcom 2017"),
    Application("diabetic retinopathy", "colour fundus photographs", "5 ordinal grades (0–4)",
                "retinamnist", "DeepDRiD images; grades are ordered",
                "Ting et al. 2017"),
    Application("corneal diseases", "slit-lamp photographs", "several diseases", None,
                "no MedMNIST set", "Gu et al. (Sci. Rep.)"),
    Application("glaucoma", "fundus photographs / OCT", "glaucoma vs. normal", None,
                "no MedMNIST set (RetinaMNIST grades retinopathy, not glaucoma)",
                "Bai et al. 2016"),
    Application("COVID-19", "chest X-ray and CT", "COVID-19 vs. other vs. healthy", None,
                "no MedMNIST set; PneumoniaMNIST is paediatric pneumonia from before 2020",
                "no COVID-19 study in the entry's list"),
    Application("pneumonia", "paediatric chest X-ray", "pneumonia vs. normal",
                "pneumoniamnist", "the course's own classifier (notebook 09)",
                "Kermany et al. 2018"),
)


def with_medmnist() -> list[Application]:
    """The applications a learner can try on a MedMNIST v2 2D set."""
    return [a for a in APPLICATIONS if a.medmnist is not None]


def format_applications(rows=APPLICATIONS) -> str:
    """The table as aligned text: condition, modality, task and the MedMNIST set (or "—")."""
    header = ("condition", "modality", "task", "MedMNIST v2")
    cells = [header] + [(a.condition, a.modality, a.task, a.medmnist or "— (none)") for a in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = ["  ".join(value.ljust(width) for value, width in zip(row, widths, strict=True)).rstrip()
             for row in cells]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)
