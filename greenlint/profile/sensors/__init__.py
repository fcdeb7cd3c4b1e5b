"""Energy sensors for profile mode: NVML for NVIDIA GPUs, RAPL or an estimate for CPUs.

Each sensor says which method produced its figure; none reports 0 J for "cannot measure".
"""
