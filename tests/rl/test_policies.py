import numpy as np
import torch

from scratchgrad.rl.policies import ActorCriticPolicy, QNetwork, mlp


def test_mlp_shapes_and_orthogonal_init() -> None:
    net = mlp(4, (8, 8), 2, "relu", output_gain=0.01)
    w = net[0].weight.detach().numpy()
    np.testing.assert_allclose(w.T @ w, 2.0 * np.eye(4), atol=1e-5)  # gain sqrt(2)
    assert np.abs(net[-1].weight.detach().numpy()).max() < 0.02


def test_act_shapes_and_deterministic_argmax() -> None:
    policy = ActorCriticPolicy(4, 3)
    obs = np.random.default_rng(0).standard_normal((5, 4)).astype(np.float32)
    actions, values, log_p = policy.act(obs, np.random.default_rng(0))
    assert actions.shape == values.shape == log_p.shape == (5,)
    assert actions.dtype == np.int64 and np.all(log_p <= 0)
    logits = policy.pi(__import__("scratchgrad").from_numpy(obs)).detach().numpy()
    det = policy.act(obs, np.random.default_rng(0), deterministic=True)[0]
    np.testing.assert_array_equal(det, logits.argmax(1))


def test_sampling_follows_the_probabilities() -> None:
    policy = ActorCriticPolicy(1, 2, ortho_init=False)
    obs = np.zeros((20000, 1), np.float32)
    actions, _, log_p = policy.act(obs, np.random.default_rng(1))
    p1 = float(np.exp(log_p[actions == 1][0]))
    assert abs(actions.mean() - p1) < 0.02


def test_evaluate_actions_matches_torch_categorical() -> None:
    policy = ActorCriticPolicy(4, 3)
    rng = np.random.default_rng(0)
    obs = rng.standard_normal((6, 4)).astype(np.float32)
    actions = rng.integers(0, 3, 6)
    values, log_p, entropy = policy.evaluate_actions(obs, actions)
    import scratchgrad as sg

    logits = torch.tensor(policy.pi(sg.from_numpy(obs)).detach().numpy())
    dist = torch.distributions.Categorical(logits=logits)
    np.testing.assert_allclose(
        log_p.detach().numpy(), dist.log_prob(torch.tensor(actions)), atol=1e-6
    )
    np.testing.assert_allclose(entropy.detach().numpy(), dist.entropy(), atol=1e-6)
    assert values.shape == (6,)


def test_q_network_shapes() -> None:
    q = QNetwork(4, 2, net_arch=(16,))
    assert q.q_values(np.zeros((7, 4), np.float32)).shape == (7, 2)
