"""ps05_pytorch_mlp: alternative correct implementations and common mistakes.

Each variant is a whole notebook run, with training, by both graders, so the list is short
and chosen: one or two mistakes per graded function, the classic ones of PyTorch code, and
correct alternatives that combine several cells. ``predict`` of the reference solution calls
``predict_proba``, ``load_state`` calls ``build_mlp`` and ``make_pipeline_clf`` trains
``build_mlp``'s network, so a mistake there can cost those points too.
"""

from textwrap import dedent, indent

from variants import Variant, correct, mistake

BUILD, PROBA, PREDICT, WEIGHTS = (
    "test_build_mlp",
    "test_predict_proba",
    "test_predict",
    "test_balanced_class_weights",
)
FIT, SAVE_LOAD, PIPELINE = "test_fit", "test_save_load", "test_make_pipeline_clf"


def fn(signature: str, body: str) -> str:
    """A function definition from its signature and an unindented body."""
    return f"def {signature}:\n" + indent(dedent(body).strip("\n"), "    ") + "\n"


def build(body: str, prelude: str = "") -> str:
    return dedent(prelude).lstrip("\n") + fn("build_mlp(d_in, n_classes, hidden=32, seed=0)", body)


def proba(body: str) -> str:
    return fn("predict_proba(model, X)", body)


def predict(body: str) -> str:
    return fn("predict(model, X)", body)


def weights(body: str) -> str:
    return fn("balanced_class_weights(y, n_classes)", body)


def fit(body: str) -> str:
    return fn("fit(model, X, y, epochs=30, lr=1e-3, batch_size=32, class_weight=None, seed=0)",
              body)


def save(body: str) -> str:
    return fn("save_state(model, path)", body)


def load(body: str) -> str:
    return fn("load_state(path, d_in, n_classes, hidden=32)", body)


def pipeline(body: str) -> str:
    return fn("make_pipeline_clf(d_in=64, n_classes=10, hidden=32, lr=1e-3, epochs=30, seed=0)",
              body)


# The reference training loop, with markers that mistakes replace.
FIT_LOOP = """
X_t = torch.as_tensor(X, dtype=torch.float32)
y_t = torch.as_tensor(y, dtype=torch.int64)
loader = DataLoader(TensorDataset(X_t, y_t), batch_size=batch_size, SHUFFLE,
                    generator=torch.Generator().manual_seed(seed))
weight = None if class_weight is None else torch.as_tensor(class_weight, dtype=torch.float32)
loss_fn = nn.CrossEntropyLoss(WEIGHT)
optimizer = torch.optim.Adam(model.parameters(), lr=lr)
losses = []
for _ in range(epochs):
    model.train()
    total = 0.0
    for xb, yb in loader:
        ZERO_GRAD
        loss = loss_fn(model(xb), yb)
        loss.backward()
        optimizer.step()
        total += loss.item() * len(xb)
    losses.append(EPOCH_LOSS)
return model, losses
"""
FIT_PARTS = {
    "SHUFFLE": "shuffle=True",
    "WEIGHT": "weight=weight",
    "ZERO_GRAD": "optimizer.zero_grad()",
    "EPOCH_LOSS": "total / len(X_t)",
}


def fit_with(**changes: str) -> str:
    body = FIT_LOOP
    for key, default in FIT_PARTS.items():
        body = body.replace(key, changes.get(key, default))
    return fit(body)


PIPELINE_BODY = """
net = NeuralNetClassifier(
    build_mlp, module__d_in=d_in, module__n_classes=n_classes, module__hidden=hidden,
    module__seed=seed, CRITERION optimizer=torch.optim.Adam, lr=lr,
    max_epochs=epochs, batch_size=32, iterator_train__shuffle=True, train_split=None,
    verbose=0,
)
steps = [STEPS]
return Pipeline(steps + [("net", net)])
"""
SCALE = '("scale", StandardScaler())'
CAST = '("float32", FunctionTransformer(np.asarray, kw_args={"dtype": np.float32}))'


def pipeline_with(criterion: str = "criterion=nn.CrossEntropyLoss,",
                  steps: str = f"{SCALE}, {CAST}") -> str:
    return pipeline(PIPELINE_BODY.replace("CRITERION", criterion).replace("STEPS", steps))


VARIANTS: list[Variant] = [
    # ================================================================ correct alternatives
    correct(
        "module_subclass_scipy_softmax_unique_counts",
        build_mlp=build(
            """
            torch.manual_seed(seed)
            return TwoLayerNet(d_in, hidden, n_classes)
            """,
            prelude="""
            import torch.nn.functional as F


            class TwoLayerNet(nn.Module):
                def __init__(self, d_in, hidden, n_classes):
                    super().__init__()
                    self.hidden = nn.Linear(d_in, hidden)
                    self.out = nn.Linear(hidden, n_classes)

                def forward(self, x):
                    return self.out(F.relu(self.hidden(x)))


            """,
        ),
        predict_proba=proba(
            """
            from scipy.special import softmax
            model.eval()
            with torch.no_grad():
                logits = model(torch.tensor(np.asarray(X), dtype=torch.float32)).numpy()
            return softmax(logits.astype(np.float64), axis=1)
            """
        ),
        predict=predict(
            """
            model.train(False)
            with torch.no_grad():
                logits = model(torch.from_numpy(np.asarray(X, dtype=np.float32)))
            return torch.argmax(logits, dim=1).numpy()
            """
        ),
        balanced_class_weights=weights(
            """
            classes, counts = np.unique(y, return_counts=True)
            out = np.zeros(n_classes)
            out[classes] = y.size / (n_classes * counts)
            return out
            """
        ),
    ),
    correct(
        "log_softmax_output_layer",  # log-probabilities are logits shifted per row: valid
        build_mlp=build(
            """
            torch.manual_seed(seed)
            return nn.Sequential(nn.Linear(d_in, hidden), nn.ReLU(), nn.Linear(hidden, n_classes),
                                 nn.LogSoftmax(dim=1))
            """
        ),
    ),
    correct(
        "manual_minibatches_mean_of_batch_losses",
        fit=fit(
            """
            import torch.nn.functional as F
            X_t = torch.tensor(np.asarray(X, dtype=np.float32))
            y_t = torch.tensor(np.asarray(y), dtype=torch.long)
            w = None
            if class_weight is not None:
                w = torch.tensor(np.asarray(class_weight, dtype=np.float32))
            opt = torch.optim.Adam(model.parameters(), lr=lr)
            rng = np.random.default_rng(seed)
            history = []
            for epoch in range(epochs):
                order = torch.from_numpy(rng.permutation(len(y_t)))
                batch_losses = []
                for start in range(0, len(order), batch_size):
                    idx = order[start:start + batch_size]
                    loss = F.cross_entropy(model(X_t[idx]), y_t[idx], weight=w)
                    loss.backward()
                    opt.step()
                    opt.zero_grad()
                    batch_losses.append(float(loss))
                history.append(sum(batch_losses) / len(batch_losses))
            return model, history
            """
        ),
    ),
    correct(
        "global_seed_loader_cloned_state_make_pipeline",
        fit=fit(
            """
            torch.manual_seed(seed)
            data = TensorDataset(torch.from_numpy(np.asarray(X, dtype=np.float32)),
                                 torch.from_numpy(np.asarray(y, dtype=np.int64)))
            loader = DataLoader(data, batch_size=batch_size, shuffle=True)
            criterion = nn.CrossEntropyLoss(
                weight=None if class_weight is None else torch.tensor(class_weight).float())
            optimizer = torch.optim.Adam(model.parameters(), lr)
            losses = []
            for epoch in range(epochs):
                running, batches = 0.0, 0
                for xb, yb in loader:
                    model.zero_grad()
                    loss = criterion(model(xb), yb)
                    loss.backward()
                    optimizer.step()
                    running += loss.detach().item()
                    batches += 1
                losses.append(running / batches)
            return model, losses
            """
        ),
        save_state=save(
            """
            state = {name: t.detach().clone() for name, t in model.state_dict().items()}
            with open(path, "wb") as f:
                torch.save(state, f)
            """
        ),
        load_state=load(
            """
            net = build_mlp(d_in, n_classes, hidden)
            state = torch.load(path, map_location="cpu", weights_only=True)
            net.load_state_dict(state, strict=True)
            return net.eval()
            """
        ),
        make_pipeline_clf=pipeline(
            """
            from sklearn.pipeline import make_pipeline

            def to_float32(X):
                return np.asarray(X).astype(np.float32)

            net = NeuralNetClassifier(
                build_mlp, module__d_in=d_in, module__n_classes=n_classes,
                module__hidden=hidden, module__seed=seed, criterion=torch.nn.CrossEntropyLoss,
                optimizer=torch.optim.Adam, optimizer__lr=lr, max_epochs=epochs,
                batch_size=32, iterator_train__shuffle=True, train_split=None, verbose=0,
            )
            return make_pipeline(StandardScaler(), FunctionTransformer(to_float32), net)
            """
        ),
    ),
    # ================================================================ build_mlp: mistakes
    mistake(
        "build_softmax_inside_model",  # double softmax with CrossEntropyLoss
        {BUILD},
        build_mlp=build(
            """
            torch.manual_seed(seed)
            return nn.Sequential(nn.Linear(d_in, hidden), nn.ReLU(), nn.Linear(hidden, n_classes),
                                 nn.Softmax(dim=1))
            """
        ),
    ),
    mistake(
        "build_hidden_size_ignored",  # the pipeline's network then has the wrong size too
        {BUILD, PIPELINE},
        build_mlp=build(
            """
            torch.manual_seed(seed)
            return nn.Sequential(nn.Linear(d_in, 32), nn.ReLU(), nn.Linear(32, n_classes))
            """
        ),
    ),
    # ================================================================ predict_proba: mistakes
    mistake(
        "proba_without_eval_mode",  # dropout stays on; predict uses predict_proba
        {PROBA, PREDICT},
        predict_proba=proba(
            """
            with torch.no_grad():
                logits = model(torch.as_tensor(X, dtype=torch.float32))
            return torch.softmax(logits, dim=1).numpy()
            """
        ),
    ),
    mistake(
        "proba_returns_logits",
        {PROBA},
        predict_proba=proba(
            """
            model.eval()
            with torch.no_grad():
                return model(torch.as_tensor(X, dtype=torch.float32)).numpy()
            """
        ),
    ),
    # ================================================================ predict: mistakes
    mistake(
        "predict_float_labels",
        {PREDICT},
        predict=predict("return predict_proba(model, X).argmax(axis=1).astype(float)"),
    ),
    # ================================================================ class weights: mistakes
    mistake(
        "weights_inverse_count_only",
        {WEIGHTS},
        balanced_class_weights=weights("return 1.0 / np.bincount(y, minlength=n_classes)"),
    ),
    # ================================================================ fit: mistakes
    mistake(
        "fit_without_zero_grad",  # the gradients add up over all steps; accuracy still fine
        {FIT},
        fit=fit_with(ZERO_GRAD="pass"),
    ),
    mistake(
        "fit_ignores_class_weight",
        {FIT},
        fit=fit_with(WEIGHT=""),
    ),
    mistake(
        "fit_reports_last_batch_loss",
        {FIT},
        fit=fit_with(EPOCH_LOSS="loss.item()"),
    ),
    mistake(
        "fit_without_shuffling",  # the seed then changes nothing
        {FIT},
        fit=fit_with(SHUFFLE="shuffle=False"),
    ),
    # ================================================================ save/load: mistakes
    mistake(
        "save_pickles_whole_model",  # torch.load(..., weights_only=True) refuses it
        {SAVE_LOAD},
        save_state=save("torch.save(model, path)"),
    ),
    mistake(
        "load_ignores_hidden",  # loads into a network of the default size
        {SAVE_LOAD},
        load_state=load(
            """
            model = build_mlp(d_in, n_classes)
            model.load_state_dict(torch.load(path, weights_only=True))
            return model.eval()
            """
        ),
    ),
    # ================================================================ pipeline: mistakes
    mistake(
        "pipeline_without_float32_cast",  # float64 features reach the float32 network
        {PIPELINE},
        make_pipeline_clf=pipeline_with(steps=SCALE),
    ),
    mistake(
        "pipeline_without_scaler",  # fine on the digits, not on the wine data
        {PIPELINE},
        make_pipeline_clf=pipeline_with(steps=CAST),
    ),
    mistake(
        "pipeline_default_nll_criterion",  # skorch's NLLLoss expects log-probabilities
        {PIPELINE},
        make_pipeline_clf=pipeline_with(criterion=""),
    ),
]
