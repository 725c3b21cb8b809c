"""ps04_keras_mlp: alternative correct implementations and common mistakes.

Every variant is a whole notebook run (TensorFlow included) by each grader, so several
correct alternatives share one variant, and a few mistakes in unrelated functions do too.
"""

from variants import Variant, correct, mistake

BUILD, WEIGHTS, TRAIN, EVALUATE, SAVE, PIPE = (
    "test_build_mlp",
    "test_balanced_class_weights",
    "test_train_mlp",
    "test_evaluate",
    "test_save_and_reload",
    "test_make_pipeline_clf",
)


def build_mlp(body: str) -> str:
    return f"def build_mlp(d_in, n_classes, hidden=32, seed=0):\n{body}"


def balanced_class_weights(body: str) -> str:
    return f"def balanced_class_weights(y):\n{body}"


def train_mlp(body: str) -> str:
    return (
        "def train_mlp(model, X, y, epochs=30, batch_size=32, learning_rate=1e-3,\n"
        f"              class_weight=None, seed=0):\n{body}"
    )


def evaluate(body: str) -> str:
    return f"def evaluate(model, X, y):\n{body}"


def save_and_reload(body: str) -> str:
    return f"def save_and_reload(model, path):\n{body}"


def make_pipeline_clf(body: str) -> str:
    return f"def make_pipeline_clf(hidden=32, epochs=30, learning_rate=1e-3, seed=0):\n{body}"


def sequential(
    hidden_activation: str = '"relu"',
    output_activation: str = '"softmax"',
    units: str = "hidden",
    seeding: str = "keras.utils.set_random_seed(seed)",
) -> str:
    return build_mlp(
        f"    {seeding}\n"
        "    return keras.Sequential([\n"
        "        keras.Input(shape=(d_in,)),\n"
        f"        keras.layers.Dense({units}, activation={hidden_activation}),\n"
        f"        keras.layers.Dense(n_classes, activation={output_activation}),\n"
        "    ])"
    )


def fit_body(
    compile_args: str = "optimizer=keras.optimizers.Adam(learning_rate=learning_rate), "
    'loss="sparse_categorical_crossentropy"',
    seeding: str = "keras.utils.set_random_seed(seed)",
    fit_args: str = "epochs=epochs, batch_size=batch_size, class_weight=class_weight",
    ret: str = "history.history",
) -> str:
    return train_mlp(
        f"    model.compile({compile_args})\n"
        f"    {seeding}\n"
        f"    history = model.fit(X, y, {fit_args}, verbose=0)\n"
        f"    return {ret}"
    )


def pipeline(steps: str, units: str = "hidden", epochs: str = "epochs") -> str:
    return make_pipeline_clf(
        "    def make_model(hidden, meta):\n"
        "        keras.utils.set_random_seed(seed)\n"
        "        return keras.Sequential([\n"
        '            keras.Input(shape=(meta["n_features_in_"],)),\n'
        f'            keras.layers.Dense({units}, activation="relu"),\n'
        '            keras.layers.Dense(meta["n_classes_"], activation="softmax"),\n'
        "        ])\n"
        "    net = KerasClassifier(model=make_model, model__hidden=hidden,\n"
        "                          optimizer=keras.optimizers.Adam,\n"
        "                          optimizer__learning_rate=learning_rate,\n"
        '                          loss="sparse_categorical_crossentropy",\n'
        f"                          epochs={epochs}, batch_size=32, random_state=seed,\n"
        "                          verbose=0)\n"
        f"    return Pipeline({steps})"
    )


VARIANTS: list[Variant] = [
    # ---- correct alternatives, several functions at a time
    correct(
        "functional_api_loops_and_keras_saving",
        build_mlp=build_mlp(
            "    init = lambda: keras.initializers.GlorotUniform(seed=seed)\n"
            "    inputs = keras.Input(shape=(d_in,))\n"
            "    h = keras.layers.Dense(hidden, kernel_initializer=init())(inputs)\n"
            '    h = keras.layers.Activation("relu")(h)\n'
            "    z = keras.layers.Dense(n_classes, kernel_initializer=init())(h)\n"
            "    outputs = keras.layers.Softmax()(z)\n"
            "    return keras.Model(inputs, outputs)"
        ),
        balanced_class_weights=balanced_class_weights(
            "    from collections import Counter\n"
            "    counts = Counter(int(v) for v in y)\n"
            "    n, k = len(y), len(counts)\n"
            "    return {c: n / (k * m) for c, m in counts.items()}"
        ),
        evaluate=evaluate(
            "    proba = model.predict(X, verbose=0)\n"
            "    pred = np.argmax(proba, axis=-1)\n"
            "    k = proba.shape[-1]\n"
            "    cm = np.zeros((k, k), dtype=np.int64)\n"
            "    for t, p in zip(y, pred):\n"
            "        cm[t, p] += 1\n"
            "    return (pred == y).mean(), cm"
        ),
        save_and_reload=save_and_reload(
            "    keras.saving.save_model(model, path)\n"
            "    return keras.saving.load_model(path, compile=False)"
        ),
    ),
    correct(
        "layer_objects_sklearn_metrics_tf_shuffle_seed",
        build_mlp=build_mlp(
            "    keras.utils.set_random_seed(seed)\n"
            "    model = keras.Sequential()\n"
            "    model.add(keras.layers.Dense(hidden, input_shape=(d_in,)))\n"
            "    model.add(keras.layers.ReLU())\n"
            "    model.add(keras.layers.Dense(n_classes))\n"
            "    model.add(keras.layers.Activation(keras.activations.softmax))\n"
            '    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")\n'
            "    return model"
        ),
        balanced_class_weights=balanced_class_weights(
            "    from sklearn.utils.class_weight import compute_class_weight\n"
            "    classes = np.unique(y)\n"
            '    w = compute_class_weight("balanced", classes=classes, y=y)\n'
            "    return dict(zip(classes.tolist(), w.tolist()))"
        ),
        train_mlp=fit_body(
            compile_args="optimizer=keras.optimizers.Adam(learning_rate), "
            "loss=keras.losses.SparseCategoricalCrossentropy(), "
            'metrics=["accuracy", "sparse_categorical_accuracy"]',
            seeding="tf.random.set_seed(seed)",
            fit_args="epochs=epochs, batch_size=batch_size, shuffle=True, "
            "class_weight=class_weight, validation_split=0.0",
        ),
        evaluate=evaluate(
            "    from sklearn.metrics import accuracy_score, confusion_matrix\n"
            "    proba = model.predict(X, verbose=0)\n"
            "    pred = proba.argmax(axis=1)\n"
            "    labels = np.arange(proba.shape[1])\n"
            "    return accuracy_score(y, pred), confusion_matrix(y, pred, labels=labels)"
        ),
    ),
    correct(
        "sample_weights_and_make_pipeline",
        train_mlp=train_mlp(
            "    model.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate),\n"
            '                  loss="sparse_categorical_crossentropy")\n'
            "    weights = None\n"
            "    if class_weight is not None:\n"
            "        weights = np.array([class_weight[int(c)] for c in y], dtype=np.float32)\n"
            "    keras.utils.set_random_seed(seed)\n"
            "    history = model.fit(X, y, sample_weight=weights, epochs=epochs,\n"
            "                        batch_size=batch_size, verbose=0)\n"
            "    return dict(history.history)"
        ),
        save_and_reload=save_and_reload(
            "    import os\n"
            "    assert path.endswith('.keras')\n"
            "    model.save(os.path.abspath(path), overwrite=True)\n"
            "    return keras.models.load_model(os.path.abspath(path))"
        ),
        make_pipeline_clf=make_pipeline_clf(
            "    from sklearn.pipeline import make_pipeline\n"
            "    def model_fn(meta):\n"
            "        model = build_mlp(meta['n_features_in_'], meta['n_classes_'],\n"
            "                          hidden=hidden, seed=seed)\n"
            "        model.compile(optimizer=keras.optimizers.Adam(learning_rate),\n"
            "                      loss='sparse_categorical_crossentropy')\n"
            "        return model\n"
            "    clf = KerasClassifier(model=model_fn, epochs=epochs, batch_size=32,\n"
            "                          random_state=seed, verbose=0)\n"
            "    return make_pipeline(StandardScaler(), clf)"
        ),
    ),
    # ---- build_mlp
    mistake("build_sigmoid_output", {BUILD}, build_mlp=sequential(output_activation='"sigmoid"')),
    mistake("build_no_hidden_activation", {BUILD}, build_mlp=sequential(hidden_activation="None")),
    # tf.random.set_seed does not seed Keras 3's initializers: the same seed, other weights
    mistake(
        "build_seeds_tensorflow_only",
        {BUILD},
        build_mlp=sequential(seeding="tf.random.set_seed(seed)"),
    ),
    mistake(
        "build_ignores_seed_and_weights_without_k",
        {BUILD, WEIGHTS},
        build_mlp=sequential(seeding="keras.utils.set_random_seed(0)"),
        balanced_class_weights=balanced_class_weights(
            "    classes, counts = np.unique(y, return_counts=True)\n"
            "    return {int(c): len(y) / m for c, m in zip(classes, counts)}"
        ),
    ),
    mistake(
        "build_hidden_width_fixed_and_pipeline_hidden_fixed",
        {BUILD, PIPE},
        build_mlp=sequential(units="32"),
        make_pipeline_clf=pipeline('[("scale", StandardScaler()), ("keras", net)]', units="32"),
    ),
    # ---- balanced_class_weights
    mistake(
        "weights_keyed_by_position",
        {WEIGHTS},
        balanced_class_weights=balanced_class_weights(
            "    counts = np.bincount(y)\n"
            "    counts = counts[counts > 0]\n"
            "    return {i: len(y) / (len(counts) * m) for i, m in enumerate(counts)}"
        ),
    ),
    mistake(
        "weights_sort_y_in_place_and_confusion_transposed",
        {WEIGHTS, EVALUATE},
        balanced_class_weights=balanced_class_weights(
            "    y.sort()\n"
            "    classes, counts = np.unique(y, return_counts=True)\n"
            "    return {int(c): len(y) / (len(classes) * m) for c, m in zip(classes, counts)}"
        ),
        evaluate=evaluate(
            "    from sklearn.metrics import confusion_matrix\n"
            "    proba = model.predict(X, verbose=0)\n"
            "    pred = proba.argmax(axis=1)\n"
            "    labels = np.arange(proba.shape[1])\n"
            "    return float(np.mean(pred == y)), confusion_matrix(pred, y, labels=labels)"
        ),
    ),
    # ---- train_mlp
    mistake(
        "train_ignores_class_weight",
        {TRAIN},
        train_mlp=fit_body(fit_args="epochs=epochs, batch_size=batch_size"),
    ),
    mistake(
        "train_ignores_learning_rate",
        {TRAIN},
        train_mlp=fit_body(compile_args='optimizer="adam", loss="sparse_categorical_crossentropy"'),
    ),
    mistake("train_seeds_numpy_only", {TRAIN}, train_mlp=fit_body(seeding="np.random.seed(seed)")),
    mistake(
        "train_ignores_batch_size",
        {TRAIN},
        train_mlp=fit_body(fit_args="epochs=epochs, class_weight=class_weight"),
    ),
    mistake(
        "train_returns_history_object_and_save_without_extension",
        {TRAIN, SAVE},
        train_mlp=fit_body(ret="history"),
        # Keras 2's habit: a SavedModel folder; Keras 3 refuses a path without .keras
        save_and_reload=save_and_reload(
            "    import os\n"
            "    folder = os.path.splitext(path)[0]\n"
            "    model.save(folder)\n"
            "    return keras.models.load_model(folder)"
        ),
    ),
    # ---- evaluate
    mistake(
        "evaluate_labels_from_the_data",
        {EVALUATE},
        evaluate=evaluate(
            "    from sklearn.metrics import accuracy_score, confusion_matrix\n"
            "    pred = model.predict(X, verbose=0).argmax(axis=1)\n"
            "    return accuracy_score(y, pred), confusion_matrix(y, pred)"
        ),
    ),
    # ---- save_and_reload
    mistake(
        "save_returns_a_fresh_clone",
        {SAVE},
        save_and_reload=save_and_reload(
            "    model.save(path)\n"
            "    return keras.models.clone_model(keras.models.load_model(path))"
        ),
    ),
    # ---- make_pipeline_clf
    mistake(
        "pipeline_without_scaler",
        {PIPE},
        make_pipeline_clf=pipeline('[("keras", net)]'),
    ),
]
