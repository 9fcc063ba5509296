"""``model_passage.yaml``: a paragraph of case text that describes the case's stock-and-flow model.

The stock-and-flow notebook asks a learner to read the passage, list the
quantities it names and classify each as a stock, a flow (with the stock it
fills or drains) or a parameter or auxiliary; the case's own model is the
answer.  The file holds the passage and, for each model variable the passage
names, the other wordings a reader might use for it:

.. code-block:: yaml

    passage: >
      Water runs from the tap into the bath and drains out through the plughole ...
    quantities:
      Water in tub: [water in the bath, bath water]
      filling: [tap flow, water running in]
    source: seed-000

The reader checks the file's shape; whether each name is one of the model's
variables is checked against the model (:func:`stp_helpers.sd.passage.quantity_roles`).

Examples
--------
>>> found = StructurePassage(passage="Water runs into the bath.", quantities={" Water in tub ": ["bath water"]})
>>> found.quantities
{'Water in tub': ['bath water']}
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from stp_helpers.io.tables import read_yaml_model

__all__ = ["PASSAGE_FILE", "StructurePassage", "read_model_passage"]

#: The artefact file name of a case's structure passage.
PASSAGE_FILE = "model_passage.yaml"


class StructurePassage(BaseModel):
    """The contents of ``model_passage.yaml``.

    Attributes
    ----------
    passage : str
        The paragraph the learner reads (case text: escape it before display).
    quantities : dict of str to list of str
        Each model variable the passage names (the model's own name) and the
        other wordings accepted for it.
    source : str or None
        The id of the case source the passage rests on, if any.
    """

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    passage: str = Field(min_length=1, description="the paragraph a learner reads")
    quantities: dict[str, list[str]] = Field(
        min_length=1, description="model variable named in the passage: [other wordings]")
    source: str | None = Field(None, description="the id of one of the case's sources")

    @field_validator("quantities")
    @classmethod
    def _names_filled(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        blank = [k for k, words in value.items() if not str(k).strip() or any(not str(w).strip() for w in words)]
        if blank:
            raise ValueError("a quantity or one of its wordings is blank")
        return {str(k).strip(): [str(w).strip() for w in words] for k, words in value.items()}


def read_model_passage(path: str | Path) -> StructurePassage:
    """Read and validate ``model_passage.yaml`` (problems name the file, line and fix).

    Raises
    ------
    CaseFileError
        The file is not YAML of the shape above.
    """
    return read_yaml_model(path, StructurePassage)

