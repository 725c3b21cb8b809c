"""ps07_nn_vs_sklearn: alternative correct implementations and common mistakes.

The graded functions are independent of each other (each test cell builds its own models), so
every mistake fails exactly the test cell of its own function. Each variant costs a run of the
whole notebook in each grader, which trains small models, so the list is kept to the mistakes
students make most and the alternatives most likely to be judged wrong by a careless test.
"""

from textwrap import dedent, indent

from variants import Variant, correct, mistake

MODELS, CV, CURVE, WINS = ("test_make_models", "test_compare_cv", "test_learning_curve_points",
                           "test_which_wins")


def fn(signature: str, body: str) -> str:
    """A function definition from its signature and an unindented body."""
    return f"def {signature}:\n" + indent(dedent(body).strip("\n"), "    ") + "\n"


def models(body: str, prelude: str = "") -> str:
    return dedent(prelude).strip("\n") + "\n\n" * bool(prelude) + fn("make_models(seed=0)", body)


def compare(body: str) -> str:
    return fn("compare_cv(models, X, y, n_splits=5, seed=0)", body)


def curve(body: str) -> str:
    return fn("learning_curve_points(model, X, y, sizes, seed=0)", body)


def wins(body: str) -> str:
    return fn("which_wins(results, tolerance=0.01)", body)


# make_models with one entry replaced: {LOGREG}, {BOOSTING} and {MLP} are the reference's.
LOGREG = 'make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))'
BOOSTING = 'HistGradientBoostingClassifier(max_iter=30, learning_rate=0.3, random_state=seed)'
MLP = ('make_pipeline(StandardScaler(), MLPClassifier(hidden_layer_sizes=(128,), max_iter=300, '
       'random_state=seed))')


def models_with(logreg: str = LOGREG, boosting: str = BOOSTING, mlp: str = MLP) -> str:
    return models(f'return {{"logreg": {logreg},\n        "boosting": {boosting},\n'
                  f'        "mlp": {mlp}}}')


VARIANTS: list[Variant] = [
    # ================================================================ make_models: correct
    correct("models_other_scalers_and_gb", make_models=models("""
        from sklearn.ensemble import GradientBoostingClassifier
        from sklearn.pipeline import Pipeline
        from sklearn.preprocessing import MinMaxScaler, RobustScaler
        return {
            "logreg": Pipeline([("scale", MinMaxScaler()), ("clf", LogisticRegression(C=10.0))]),
            "boosting": GradientBoostingClassifier(n_estimators=50, random_state=seed),
            "mlp": Pipeline([("scale", RobustScaler()),
                             ("net", MLPClassifier((64,), max_iter=200, random_state=seed))]),
        }
    """)),
    correct("models_library_defaults", make_models=models_with(
        logreg="make_pipeline(StandardScaler(), LogisticRegression())",
        boosting="HistGradientBoostingClassifier(random_state=seed)",
        mlp="make_pipeline(StandardScaler(), MLPClassifier(random_state=seed))")),
    # ================================================================ make_models: mistakes
    mistake("models_mlp_not_scaled", {MODELS}, make_models=models_with(
        mlp="MLPClassifier(hidden_layer_sizes=(128,), max_iter=300, random_state=seed)")),
    mistake("models_logreg_not_scaled", {MODELS}, make_models=models_with(
        logreg="LogisticRegression(max_iter=1000)")),
    mistake("models_seed_ignored", {MODELS}, make_models=models_with(
        mlp="make_pipeline(StandardScaler(), MLPClassifier(hidden_layer_sizes=(128,), "
            "max_iter=300, random_state=0))")),
    mistake("models_built_once_and_shared", {MODELS}, make_models=models(
        "return _MODELS",
        prelude=f"""
        seed = 0
        _MODELS = {{"logreg": {LOGREG}, "boosting": {BOOSTING}, "mlp": {MLP}}}
        """)),
    # ================================================================ compare_cv: correct
    correct("cv_manual_loop_clone_ddof1", compare_cv=compare("""
        from sklearn.base import clone
        folds = list(StratifiedKFold(n_splits, shuffle=True, random_state=seed).split(X, y))
        out = {}
        for name, model in models.items():
            scores = []
            for train, test in folds:
                fitted = clone(model).fit(X[train], y[train])
                scores.append(np.mean(fitted.predict(X[test]) == y[test]))
            out[name] = (np.mean(scores), np.std(scores, ddof=1))
        return out
    """)),
    correct("cv_cross_validate_splitter_per_model", compare_cv=compare("""
        from sklearn.model_selection import cross_validate
        out = {}
        for name in models:
            splitter = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=seed)
            s = cross_validate(models[name], X, y, cv=splitter, scoring="accuracy")["test_score"]
            out[name] = [float(np.mean(s)), float(np.std(s))]
        return out
    """)),
    # ================================================================ compare_cv: mistakes
    mistake("cv_integer_folds_not_shuffled", {CV}, compare_cv=compare("""
        return {name: (cross_val_score(m, X, y, cv=n_splits).mean(),
                       cross_val_score(m, X, y, cv=n_splits).std()) for name, m in models.items()}
    """)),
    mistake("cv_unstratified_kfold", {CV}, compare_cv=compare("""
        from sklearn.model_selection import KFold
        cv = KFold(n_splits=n_splits, shuffle=True, random_state=seed)
        out = {}
        for name, m in models.items():
            s = cross_val_score(m, X, y, cv=cv)
            out[name] = (s.mean(), s.std())
        return out
    """)),
    mistake("cv_other_folds_for_each_model", {CV}, compare_cv=compare("""
        out = {}
        for name, m in models.items():
            s = cross_val_score(m, X, y, cv=StratifiedKFold(n_splits, shuffle=True))
            out[name] = (s.mean(), s.std())
        return out
    """)),
    mistake("cv_scaled_before_the_split", {CV}, compare_cv=compare("""
        X_scaled = StandardScaler().fit_transform(X)
        cv = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=seed)
        out = {}
        for name, m in models.items():
            s = cross_val_score(m, X_scaled, y, cv=cv)
            out[name] = (s.mean(), s.std())
        return out
    """)),
    mistake("cv_training_scores", {CV}, compare_cv=compare("""
        from sklearn.model_selection import cross_validate
        cv = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=seed)
        out = {}
        for name, m in models.items():
            s = cross_validate(m, X, y, cv=cv, return_train_score=True)["train_score"]
            out[name] = (s.mean(), s.std())
        return out
    """)),
    # ================================================================ learning curve: correct
    correct("curve_manual_loop", learning_curve_points=curve("""
        from sklearn.base import clone
        folds = list(StratifiedKFold(5, shuffle=True, random_state=seed).split(X, y))
        n_max = len(folds[0][0])
        counts = np.array([int(f * n_max) for f in sizes])
        train = np.zeros((len(counts), len(folds)))
        val = np.zeros((len(counts), len(folds)))
        for j, (tr, te) in enumerate(folds):
            for i, n in enumerate(counts):
                m = clone(model).fit(X[tr[:n]], y[tr[:n]])
                train[i, j] = m.score(X[tr[:n]], y[tr[:n]])
                val[i, j] = m.score(X[te], y[te])
        return counts, train.mean(axis=1), val.mean(axis=1)
    """)),
    correct("curve_scoring_and_lists", learning_curve_points=curve("""
        splitter = StratifiedKFold(n_splits=5, shuffle=True, random_state=seed)
        n, tr, va = learning_curve(model, X, y, train_sizes=np.asarray(sizes), cv=splitter,
                                   scoring="accuracy", n_jobs=1)
        return list(n), list(np.mean(tr, axis=1)), list(np.mean(va, axis=1))
    """)),
    # ================================================================ learning curve: mistakes
    mistake("curve_integer_cv", {CURVE}, learning_curve_points=curve("""
        n, tr, va = learning_curve(model, X, y, train_sizes=sizes, cv=5)
        return n, tr.mean(axis=1), va.mean(axis=1)
    """)),
    mistake("curve_mean_over_sizes", {CURVE}, learning_curve_points=curve("""
        cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=seed)
        n, tr, va = learning_curve(model, X, y, train_sizes=sizes, cv=cv)
        return n, tr.mean(axis=0), va.mean(axis=0)
    """)),
    mistake("curve_train_and_val_swapped", {CURVE}, learning_curve_points=curve("""
        cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=seed)
        n, tr, va = learning_curve(model, X, y, train_sizes=sizes, cv=cv)
        return n, va.mean(axis=1), tr.mean(axis=1)
    """)),
    # ================================================================ which_wins: correct
    correct("wins_max_then_second", which_wins=wins("""
        best = max(results, key=lambda k: results[k][0])
        others = [results[k][0] for k in results if k != best]
        if others and results[best][0] - max(others) <= tolerance:
            return "tie"
        return best
    """)),
    correct("wins_numpy_argsort", which_wins=wins("""
        names = list(results)
        means = np.array([float(results[k][0]) for k in names])
        order = np.argsort(-means, kind="stable")
        if len(names) >= 2 and means[order[1]] >= means[order[0]] - tolerance:
            return "tie"
        return str(names[order[0]])
    """)),
    # ================================================================ which_wins: mistakes
    mistake("wins_strict_boundary", {WINS}, which_wins=wins("""
        ranked = sorted(results, key=lambda k: results[k][0], reverse=True)
        if len(ranked) > 1 and results[ranked[0]][0] - results[ranked[1]][0] < tolerance:
            return "tie"
        return ranked[0]
    """)),
    mistake("wins_against_the_worst", {WINS}, which_wins=wins("""
        ranked = sorted(results, key=lambda k: results[k][0], reverse=True)
        if len(ranked) > 1 and results[ranked[0]][0] - results[ranked[-1]][0] <= tolerance:
            return "tie"
        return ranked[0]
    """)),
    mistake("wins_mean_plus_std", {WINS}, which_wins=wins("""
        score = {k: v[0] + v[1] for k, v in results.items()}
        ranked = sorted(score, key=score.get, reverse=True)
        if len(ranked) > 1 and score[ranked[0]] - score[ranked[1]] <= tolerance:
            return "tie"
        return ranked[0]
    """)),
]
