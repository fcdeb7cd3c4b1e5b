# Azure training workspace
location        = "East US"
gpu_vm_size     = "Standard_NC6s_v2"
allowed_sizes   = ["Standard_NC6", "Standard_NC24"]
