"""The PyTorch functions people reach for, as the yardstick of ``docs/ops.md``.

``ops_catalog`` lists every name below that scratchgrad does not provide yet, so the docs
say plainly what a PyTorch user will not find. ``tests/ops/test_catalog.py`` checks that
every name exists in torch 2.13. Left out on purpose: complex numbers, sparse and
quantized tensors, devices, in-place ``*_`` variants and internals.
"""


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


TORCH = _words(
    """
    abs absolute acos acosh adaptive_avg_pool1d adaptive_max_pool1d add addbmm addcdiv
    addcmul addmm addmv addr adjoint all allclose alpha_dropout amax amin aminmax arange
    arccos arccosh arcsin arcsinh arctan arctanh argmax argmin argsort argwhere
    as_tensor asin asinh atan atanh atleast_1d atleast_2d atleast_3d avg_pool1d baddbmm
    batch_norm bernoulli bilinear binary_cross_entropy_with_logits bincount binomial
    bitwise_and bitwise_left_shift bitwise_not bitwise_or bitwise_right_shift
    bitwise_xor block_diag bmm broadcast_shapes broadcast_tensors broadcast_to bucketize
    cartesian_prod cat cdist ceil celu channel_shuffle chunk clamp clamp_max clamp_min
    clip clone combinations concat concatenate conv1d conv2d conv3d conv_transpose1d
    conv_transpose2d conv_transpose3d copysign corrcoef cos cosh cosine_embedding_loss
    cosine_similarity count_nonzero cov cross ctc_loss cummax cummin cumprod cumsum
    cumulative_trapezoid deg2rad diag diag_embed diagflat diagonal diff digamma dist div
    divide dot dropout einsum embedding embedding_bag empty eq equal erf erfc erfinv exp
    exp2 expm1 eye fix flatten flip fliplr flipud float_power floor floor_divide fmax
    fmin fmod frac frexp full gather gcd ge ger gradient greater greater_equal
    group_norm gru gt hardshrink heaviside hinge_embedding_loss histc histogram
    histogramdd hypot i0 igamma igammac index_add index_copy index_fill index_put
    index_reduce index_select inner instance_norm isclose isfinite isin isinf isnan
    isneginf isposinf kl_div kron kthvalue layer_norm lcm ldexp le lerp less less_equal
    lgamma linspace log log10 log1p log2 log_softmax logaddexp logaddexp2 logcumsumexp
    logical_and logical_not logical_or logical_xor logit logspace logsumexp lstm lt
    margin_ranking_loss masked_fill masked_select matmul max max_pool1d max_pool2d
    max_pool3d maximum mean median meshgrid min minimum mm mode moveaxis movedim msort
    mul multinomial multiply mv mvlgamma nan_to_num nanmean nanmedian nanquantile nansum
    narrow ne neg negative nextafter nonzero norm normal not_equal numel ones outer
    pairwise_distance pdist permute pixel_shuffle pixel_unshuffle poisson
    poisson_nll_loss polygamma positive pow prelu prod put quantile rad2deg rand randint
    randn randperm range ravel reciprocal relu remainder renorm repeat_interleave
    reshape rms_norm roll rot90 round rrelu rsqrt rsub scatter scatter_add
    scatter_reduce searchsorted select selu sgn sigmoid sign signbit sin sinc sinh
    softmax sort split square squeeze stack std std_mean sub subtract sum swapaxes
    swapdims t take take_along_dim tan tanh tensor tensor_split tensordot threshold tile
    topk trace transpose trapezoid tril tril_indices triplet_margin_loss triu
    triu_indices true_divide trunc unbind unflatten unique unique_consecutive
    unravel_index unsqueeze vander var var_mean vdot where xlogy zeros
    """
)

FUNCTIONAL = _words(
    """
    adaptive_avg_pool1d adaptive_avg_pool2d adaptive_avg_pool3d adaptive_max_pool1d
    adaptive_max_pool2d adaptive_max_pool3d affine_grid alpha_dropout avg_pool1d
    avg_pool2d avg_pool3d batch_norm bilinear binary_cross_entropy
    binary_cross_entropy_with_logits celu channel_shuffle conv1d conv2d conv3d
    conv_transpose1d conv_transpose2d conv_transpose3d cosine_embedding_loss
    cosine_similarity cross_entropy ctc_loss dropout dropout1d dropout2d dropout3d elu
    embedding embedding_bag feature_alpha_dropout fold fractional_max_pool2d
    gaussian_nll_loss gelu glu grid_sample group_norm gumbel_softmax hardshrink
    hardsigmoid hardswish hardtanh hinge_embedding_loss huber_loss instance_norm
    interpolate kl_div l1_loss layer_norm leaky_relu linear local_response_norm
    log_softmax logsigmoid lp_pool1d lp_pool2d margin_ranking_loss max_pool1d max_pool2d
    max_pool3d max_unpool1d max_unpool2d max_unpool3d mish mse_loss multi_margin_loss
    multilabel_margin_loss multilabel_soft_margin_loss nll_loss normalize one_hot pad
    pairwise_distance pdist pixel_shuffle pixel_unshuffle poisson_nll_loss prelu relu
    relu6 rms_norm rrelu scaled_dot_product_attention selu sigmoid silu smooth_l1_loss
    soft_margin_loss softmax softmin softplus softshrink softsign tanh tanhshrink
    threshold triplet_margin_loss triplet_margin_with_distance_loss unfold
    """
)

LINALG = _words(
    """
    cholesky cond cross det diagonal eig eigh eigvals eigvalsh householder_product inv
    lstsq lu lu_factor lu_solve matmul matrix_exp matrix_norm matrix_power matrix_rank
    multi_dot norm pinv qr slogdet solve solve_triangular svd svdvals tensorinv
    tensorsolve vander vecdot vector_norm
    """
)
