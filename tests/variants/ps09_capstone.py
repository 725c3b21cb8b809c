"""ps09_capstone: alternative correct implementations and common mistakes.

Every variant is a whole notebook run (TensorFlow and SHAP included) by each grader, so the
correct alternatives share variants, and mistakes in unrelated functions share some too.
"""

from variants import Variant, correct, mistake

HOLDOUT, PREP, PIPE, REPORT, EXPLAIN = (
    "test_stratified_holdout",
    "test_make_preprocessor",
    "test_make_wine_pipeline",
    "test_per_class_report",
    "test_explain_rows",
)


def stratified_holdout(body: str) -> str:
    return f"def stratified_holdout(X, y, test_size=0.25, seed=0):\n{body}"


def make_preprocessor(body: str) -> str:
    return f"def make_preprocessor(skewed, symmetric):\n{body}"


def make_wine_pipeline(body: str) -> str:
    return f"def make_wine_pipeline(skewed, symmetric, hidden=8, seed=0):\n{body}"


def per_class_report(body: str) -> str:
    return f"def per_class_report(y_true, y_pred, labels):\n{body}"


def explain_rows(body: str) -> str:
    return f"def explain_rows(predict_proba, X_background, X_rows, class_index):\n{body}"


def pipeline(
    stop: str = 'monitor="val_loss", patience=5, restore_best_weights=True',
    steps: str = '[("prep", make_preprocessor(skewed, symmetric)), ("net", net)]',
    lr: str = "0.03",
) -> str:
    return make_wine_pipeline(
        "    def build_model(meta, hidden):\n"
        "        keras.utils.set_random_seed(seed)\n"
        "        return keras.Sequential([\n"
        '            keras.Input(shape=(meta["n_features_in_"],)),\n'
        '            keras.layers.Dense(hidden, activation="relu"),\n'
        '            keras.layers.Dense(meta["n_classes_"], activation="softmax"),\n'
        "        ])\n"
        f"    stop = keras.callbacks.EarlyStopping({stop})\n"
        "    net = KerasClassifier(model=build_model, model__hidden=hidden,\n"
        "                          optimizer=keras.optimizers.Adam,\n"
        f"                          optimizer__learning_rate={lr},\n"
        '                          loss="sparse_categorical_crossentropy", epochs=100,\n'
        "                          batch_size=32, validation_split=0.2, callbacks=[stop],\n"
        "                          random_state=seed, verbose=0)\n"
        f"    return Pipeline({steps})"
    )


def exact_explainer(masker: str, out: str = "[:, class_index]") -> str:
    return explain_rows(
        "    def f(Z):\n"
        f"        return np.asarray(predict_proba(Z)){out}\n"
        f"    e = shap.ExactExplainer(f, {masker})(X_rows, silent=True)\n"
        "    return np.asarray(e.values), float(np.asarray(e.base_values).ravel()[0])"
    )


ENUMERATE = explain_rows(
    "    import itertools\n"
    "    import math\n"
    "    X_background = np.asarray(X_background, dtype=float)\n"
    "    m, d = X_background.shape\n"
    "    f = lambda Z: np.asarray(predict_proba(Z))[:, class_index]\n"
    "    base = float(f(X_background).mean())\n"
    "    values = np.zeros((len(X_rows), d))\n"
    "    for i, x in enumerate(np.asarray(X_rows, dtype=float)):\n"
    "        masks = np.array(list(itertools.product([0, 1], repeat=d)), dtype=bool)\n"
    "        Z = np.where(masks[:, None, :], x, X_background[None])  # (2^d, m, d)\n"
    "        v = f(Z.reshape(-1, d)).reshape(len(masks), m).mean(axis=1)\n"
    "        index = {tuple(mk): k for k, mk in enumerate(masks)}\n"
    "        for j in range(d):\n"
    "            for k, mk in enumerate(masks):\n"
    "                if mk[j]:\n"
    "                    continue\n"
    "                s = int(mk.sum())\n"
    "                w = math.factorial(s) * math.factorial(d - s - 1) / math.factorial(d)\n"
    "                with_j = mk.copy()\n"
    "                with_j[j] = True\n"
    "                values[i, j] += w * (v[index[tuple(with_j)]] - v[k])\n"
    "    return values, base"
)


VARIANTS: list[Variant] = [
    # ---- correct alternatives, several functions at a time
    correct(
        "shuffle_split_sklearn_report_enumeration",
        stratified_holdout=stratified_holdout(
            "    from sklearn.model_selection import StratifiedShuffleSplit\n"
            "    sss = StratifiedShuffleSplit(n_splits=1, test_size=test_size, random_state=seed)\n"
            "    train, test = next(sss.split(X, y))\n"
            "    return X[train], X[test], y[train], y[test]"
        ),
        make_preprocessor=make_preprocessor(
            "    from sklearn.compose import make_column_transformer\n"
            "    log = make_pipeline(FunctionTransformer(np.log1p, validate=True),\n"
            "                        StandardScaler())\n"
            "    return make_column_transformer((log, list(skewed)),\n"
            "                                   (StandardScaler(), list(symmetric)),\n"
            '                                   remainder="drop")'
        ),
        per_class_report=per_class_report(
            "    from sklearn.metrics import precision_recall_fscore_support\n"
            "    p, r, _, s = precision_recall_fscore_support(y_true, y_pred, labels=labels,\n"
            "                                                 zero_division=0)\n"
            "    return {c: {'precision': float(a), 'recall': float(b), 'support': int(n)}\n"
            "            for c, a, b, n in zip(labels, p, r, s)}"
        ),
        explain_rows=ENUMERATE,
    ),
    correct(
        "numpy_split_functional_keras_loops_and_masker",
        stratified_holdout=stratified_holdout(
            "    rng = np.random.default_rng(seed)\n"
            "    test = []\n"
            "    for c in np.unique(y):\n"
            "        idx = rng.permutation(np.flatnonzero(y == c))\n"
            "        test.extend(idx[:int(round(test_size * len(idx)))])\n"
            "    test = np.sort(np.array(test, dtype=int))\n"
            "    train = np.setdiff1d(np.arange(len(y)), test)\n"
            "    return X[train], X[test], y[train], y[test]"
        ),
        make_wine_pipeline=make_wine_pipeline(
            "    from sklearn.pipeline import make_pipeline as mp\n"
            "    def model_fn(meta):\n"
            "        init = keras.initializers.GlorotUniform(seed=seed)\n"
            '        inputs = keras.Input(shape=(meta["n_features_in_"],))\n'
            '        h = keras.layers.Dense(hidden, activation="relu",\n'
            "                               kernel_initializer=init)(inputs)\n"
            '        out = keras.layers.Dense(meta["n_classes_"], kernel_initializer=init)(h)\n'
            "        model = keras.Model(inputs, keras.layers.Softmax()(out))\n"
            "        model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.03),\n"
            "                      loss=keras.losses.SparseCategoricalCrossentropy())\n"
            "        return model\n"
            "    net = KerasClassifier(model=model_fn, epochs=100, batch_size=32,\n"
            "                          validation_split=0.2, random_state=seed, verbose=0,\n"
            "                          callbacks=[keras.callbacks.EarlyStopping(\n"
            "                              patience=5, restore_best_weights=True)])\n"
            "    return mp(make_preprocessor(skewed, symmetric), net)"
        ),
        per_class_report=per_class_report(
            "    out = {}\n"
            "    for c in labels:\n"
            "        tp = sum(1 for t, p in zip(y_true, y_pred) if t == c and p == c)\n"
            "        npred = sum(1 for p in y_pred if p == c)\n"
            "        ntrue = sum(1 for t in y_true if t == c)\n"
            "        out[int(c)] = dict(precision=tp / max(npred, 1), recall=tp / max(ntrue, 1),\n"
            "                           support=ntrue)\n"
            "    return out"
        ),
        explain_rows=exact_explainer(
            "shap.maskers.Independent(X_background, max_samples=len(X_background))"
        ),
    ),
    # a whole-array base value, returned as shap does it: (n,) equal values
    correct(
        "base_values_array_and_default_masker_small_background",
        explain_rows=explain_rows(
            "    f = lambda Z: np.asarray(predict_proba(Z))[:, class_index]\n"
            "    e = shap.ExactExplainer(f, X_background)(X_rows, silent=True)\n"
            "    return e.values, e.base_values"
        ),
    ),
    # ---- stratified_holdout
    mistake(
        "holdout_not_stratified_and_report_swapped",
        {HOLDOUT, REPORT},
        stratified_holdout=stratified_holdout(
            "    return train_test_split(X, y, test_size=test_size, random_state=seed)"
        ),
        per_class_report=per_class_report(
            "    from sklearn.metrics import precision_recall_fscore_support\n"
            "    p, r, _, s = precision_recall_fscore_support(y_true, y_pred, labels=labels,\n"
            "                                                 zero_division=0)\n"
            "    return {c: {'precision': float(b), 'recall': float(a), 'support': int(n)}\n"
            "            for c, a, b, n in zip(labels, p, r, s)}"
        ),
    ),
    mistake(
        "holdout_ignores_seed",
        {HOLDOUT},
        stratified_holdout=stratified_holdout(
            "    return train_test_split(X, y, test_size=test_size, stratify=y, random_state=0)"
        ),
    ),
    mistake(
        "holdout_shuffles_X_and_y_apart",
        {HOLDOUT},
        stratified_holdout=stratified_holdout(
            "    rng = np.random.default_rng(seed)\n"
            "    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=test_size,\n"
            "                                              stratify=y, random_state=seed)\n"
            "    return rng.permutation(X_tr), rng.permutation(X_te), y_tr, y_te"
        ),
    ),
    # ---- make_preprocessor (make_wine_pipeline builds on it, as the contract says, so a
    # preprocessor that changes what the network sees costs the pipeline's points too)
    mistake(
        "prep_log_without_scaling_and_report_nan",
        {PREP, PIPE, REPORT},
        make_preprocessor=make_preprocessor(
            "    return ColumnTransformer([\n"
            '        ("log", FunctionTransformer(np.log1p), skewed),\n'
            '        ("scale", StandardScaler(), symmetric)])'
        ),
        per_class_report=per_class_report(
            "    out = {}\n"
            "    for c in labels:\n"
            "        tp = np.sum((y_true == c) & (y_pred == c))\n"
            "        out[c] = {'precision': tp / np.sum(y_pred == c),\n"
            "                  'recall': tp / np.sum(y_true == c),\n"
            "                  'support': np.sum(y_true == c)}\n"
            "    return out"
        ),
    ),
    mistake(
        "prep_log_instead_of_log1p",
        {PREP},
        make_preprocessor=make_preprocessor(
            "    return ColumnTransformer([\n"
            '        ("log", make_pipeline(FunctionTransformer(np.log), StandardScaler()),\n'
            "         skewed),\n"
            '        ("scale", StandardScaler(), symmetric)])'
        ),
    ),
    mistake(
        "prep_keeps_other_columns",
        {PREP, PIPE},
        make_preprocessor=make_preprocessor(
            "    return ColumnTransformer([\n"
            '        ("log", make_pipeline(FunctionTransformer(np.log1p), StandardScaler()),\n'
            "         skewed),\n"
            '        ("scale", StandardScaler(), symmetric)], remainder="passthrough")'
        ),
    ),
    # ---- make_wine_pipeline
    mistake(
        "pipeline_without_restoring_best_weights",
        {PIPE},
        make_wine_pipeline=pipeline(stop='monitor="val_loss", patience=5'),
    ),
    mistake(
        "pipeline_patience_10_and_explain_at_mean_row",
        {PIPE, EXPLAIN},
        make_wine_pipeline=pipeline(
            stop='monitor="val_loss", patience=10, restore_best_weights=True'
        ),
        # the background summarised by its mean row: f(mean) instead of the mean of f
        explain_rows=exact_explainer(
            "shap.maskers.Independent(np.mean(X_background, axis=0, keepdims=True))"
        ),
    ),
    mistake(
        "pipeline_without_preprocessor",
        {PIPE},
        make_wine_pipeline=pipeline(steps='[("net", net)]'),
    ),
    # ---- explain_rows
    mistake(
        "explain_always_the_first_class",
        {EXPLAIN},
        explain_rows=exact_explainer(
            "shap.maskers.Independent(X_background, max_samples=len(X_background))",
            out="[:, 0]",
        ),
    ),
    mistake(
        "explain_permutation_sampling",
        {EXPLAIN},
        explain_rows=explain_rows(
            "    f = lambda Z: np.asarray(predict_proba(Z))[:, class_index]\n"
            "    masker = shap.maskers.Independent(X_background, max_samples=len(X_background))\n"
            "    e = shap.PermutationExplainer(f, masker, seed=0)(X_rows, max_evals=20,\n"
            "                                                     silent=True)\n"
            "    return e.values, float(np.ravel(e.base_values)[0])"
        ),
    ),
]
