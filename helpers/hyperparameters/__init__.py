"""Parameters and hyperparameters, lesson 05 (``notebooks/05_hyperparameters.ipynb``).

    from helpers import hyperparameters
    hyperparameters.receptive_field([(3, 1), (2, 2), (3, 1), (2, 2)])

Modules:

- ``hyperparameters.ops``     – what is learned and what is chosen (parameter tally beside Keras),
  the bias as a shift, visit counts with and without padding, the receptive-field recurrence
  and its measurement by a gradient, dropout from scratch, the cosine schedule, gradient
  descent on a parabola.
- ``hyperparameters.figures`` – the bias shift, visit-count maps, a measured receptive field,
  training runs side by side, the learning-rate sweep and schedule.
- ``hyperparameters.widget``  – live training of a small CNN: :data:`TRAINING_CONTROLS`, the pure
  :func:`plan_training_demo`, :class:`LiveTrainer` (one run per setting, remembered) and the
  drawing.

Every public name of these modules is available here, e.g. ``hyperparameters.count_visits``.
"""

from helpers.hyperparameters.figures import (
    plot_bias_shift,
    plot_learning_rate_sweep,
    plot_parabola_descent,
    plot_receptive_field,
    plot_runs,
    plot_schedule,
    plot_visit_counts,
)
from helpers.hyperparameters.ops import (
    FIGURE3_STACK,
    constant_prediction_loss,
    cosine_decay,
    count_visits,
    count_visits_with_keras,
    descend_parabola,
    dropout_forward,
    dropout_with_keras,
    list_hyperparameters,
    make_keep_mask,
    measure_receptive_field,
    read_schedule,
    receptive_field,
    relu_with_bias,
    schedule_values,
    tally_parameters,
)
from helpers.hyperparameters.widget import (
    SMALL_CNN,
    TRAINING_CONTROLS,
    LiveTrainer,
    TrainingPlan,
    build_small_cnn,
    draw_training_demo,
    make_training_widget,
    plan_training_demo,
    update_training_widget,
)

__all__ = [
    "FIGURE3_STACK", "SMALL_CNN", "TRAINING_CONTROLS", "LiveTrainer", "TrainingPlan",
    "build_small_cnn", "constant_prediction_loss", "cosine_decay", "count_visits",
    "count_visits_with_keras", "descend_parabola", "draw_training_demo", "dropout_forward",
    "dropout_with_keras", "list_hyperparameters", "make_keep_mask", "make_training_widget",
    "measure_receptive_field", "plan_training_demo", "plot_bias_shift",
    "plot_learning_rate_sweep", "plot_parabola_descent", "plot_receptive_field", "plot_runs",
    "plot_schedule", "plot_visit_counts", "read_schedule", "receptive_field", "relu_with_bias",
    "schedule_values", "tally_parameters", "update_training_widget",
]
