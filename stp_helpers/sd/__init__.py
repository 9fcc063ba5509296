"""Stock-and-flow (System Dynamics) models on PySD.

Open a Vensim or XMILE model with :func:`load_model` (translated once per
content in the workbook's cache, sanitised and verified before import;
:func:`check_model` checks a model file without running any of it), run it
with :meth:`Model.run` (changes never persist), and analyse it:

* scenarios: :func:`load_scenarios`, :func:`run_scenarios`
* sensitivity: :func:`oat_elasticities`, :func:`monte_carlo`; leverage: :func:`lever_effects`
* many runs at once over arrays: :class:`Ensemble` (what the studies run on)
* validation (Sterman 2000, ch. 21): :func:`validate` and its checks
* calibration: :func:`fit_statistics`, :func:`calibrate`
* behaviour modes: :func:`classify_behaviour`
* structure: :func:`causal_graph` (a CLD with link polarities)
* models by name: :func:`teaching_model`, :func:`case_model`, :func:`case_scenarios`

Results are tidy pandas frames for the chart builders in
``stp_helpers.charts``.
"""

from stp_helpers.sd.fit import Calibration, FitStats, align, calibrate, fit_statistics
from stp_helpers.sd.errors import translate_error
from stp_helpers.sd.levers import lever_effects
from stp_helpers.sd.load import load_model, open_translated
from stp_helpers.sd.model import CONTROL_VARIABLES, Model, VariableInfo
from stp_helpers.sd.modes import MODES, classify_behaviour, classify_frame
from stp_helpers.sd.params import ParameterSpec, parameter_spec, parameter_specs
from stp_helpers.sd.scenarios import (
    Scenario,
    ScenarioRuns,
    load_scenarios,
    outcome_table,
    parse_scenarios,
    run_scenarios,
    tidy,
)
from stp_helpers.sd.sensitivity import (
    Distribution,
    MonteCarloResult,
    latin_hypercube,
    monte_carlo,
    normal,
    oat_elasticities,
    percentile_bands,
    sample_parameters,
    triangular,
    uniform,
)
from stp_helpers.sd.parquet import MonteCarloFile, monte_carlo_to_parquet, parquet_bands, read_monte_carlo
from stp_helpers.sd.ensemble import Ensemble, EnsembleRuns
from stp_helpers.sd.translate import SUPPORTED_SUFFIXES, ModelOutline, check_model
from stp_helpers.sd.cases import (
    case_model,
    case_scenarios,
    compare_runs,
    default_levers,
    key_outcome,
    scenario_table,
    teaching_model,
    teaching_models,
    tornado_table,
)
from stp_helpers.sd.structure import PolarityLabel, causal_graph, flow_signs, polarity_label
from stp_helpers.sd.passage import QuantityRole, answer_rows, case_passage, has_model, quantity_roles
from stp_helpers.sd.validation import (
    Check,
    IntegrationCheck,
    ValidationReport,
    check_extreme_conditions,
    check_flow_units,
    check_integration_error,
    check_reproduction,
    check_units,
    relative_change,
    validate,
)

__all__ = [
    "SUPPORTED_SUFFIXES", "CONTROL_VARIABLES", "MODES",
    "load_model", "open_translated", "translate_error", "check_model", "ModelOutline", "Model",
    "VariableInfo",
    "ParameterSpec", "parameter_specs", "parameter_spec",
    "teaching_model", "teaching_models", "case_model", "case_scenarios", "default_levers",
    "key_outcome", "compare_runs", "scenario_table", "tornado_table", "lever_effects",
    "Scenario", "ScenarioRuns", "load_scenarios", "parse_scenarios", "run_scenarios",
    "outcome_table", "tidy",
    "Distribution", "uniform", "triangular", "normal", "latin_hypercube", "sample_parameters",
    "oat_elasticities", "monte_carlo", "MonteCarloResult", "percentile_bands",
    "monte_carlo_to_parquet", "MonteCarloFile", "parquet_bands", "read_monte_carlo",
    "Ensemble", "EnsembleRuns",
    "Check", "IntegrationCheck", "ValidationReport", "validate", "check_units",
    "check_flow_units", "check_extreme_conditions", "check_integration_error",
    "check_reproduction", "relative_change",
    "FitStats", "fit_statistics", "align", "Calibration", "calibrate",
    "classify_behaviour", "classify_frame",
    "causal_graph", "polarity_label", "PolarityLabel", "flow_signs",
    "QuantityRole", "quantity_roles", "answer_rows", "case_passage", "has_model",
]
