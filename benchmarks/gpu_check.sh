#!/usr/bin/env bash
# The GPU session behind MODEL_ZOO.md's speed columns and the CUDA tests, as one script:
#   OUT=<results dir> bash benchmarks/gpu_check.sh
# 1. the CUDA tests (AMP bf16/fp16, channels_last, the main job on CUDA, NCCL, GPU placement);
# 2. benchmarks/compare.py on the GPU (torchvision/timm/modelzoo, optimize_for_inference fp16);
# 3. benchmarks/models.py over every model (fp32 inference of 64 images, training step) → models_gpu.json.
# Needs torch with CUDA, timm, PyYAML, OpenCV, tqdm, safetensors, huggingface_hub; not DALI.
set -u
OUT=${OUT:-benchmarks/results}
mkdir -p "$OUT"
export PYTHONPATH=$PWD${PYTHONPATH:+:$PYTHONPATH} PYTHONUNBUFFERED=1 MODELZOO_HOME=${MODELZOO_HOME:-/tmp/modelzoo-home}
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
python3 -c "import torch, sys; print(sys.version.split()[0], torch.__version__, torch.version.cuda, torch.cuda.get_device_name())"
timeout 180 python3 -m pytest -q -p no:cacheprovider tests/training/test_cuda.py tests/training/data/test_loader_gpu.py \
  2>&1 | tail -25 | tee "$OUT/gpu_tests.txt"
timeout 60 python3 benchmarks/compare.py --arch resnet50 --device cuda --batch 64 --repeats 10 \
  --out "$OUT/compare_gpu.json" 2>&1 | tail -12
timeout 330 python3 benchmarks/models.py '*' --device cuda --warmup 2 --repeats 5 --out "$OUT/models_gpu.json" 2>&1 | tail -45
